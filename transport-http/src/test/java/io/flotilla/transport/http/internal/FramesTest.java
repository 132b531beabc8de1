package io.flotilla.transport.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FramesTest {
    @Test
    void frame_writesTheProtobufVarintLengthPrefix() {
        assertArrayEquals(new byte[] {3, 1, 2, 3}, Frames.frame(new byte[] {1, 2, 3}));
        byte[] big = Frames.frame(new byte[300]);
        assertEquals((byte) 0xAC, big[0]); // 300 = 0b10_0101100 -> 0xAC 0x02
        assertEquals((byte) 0x02, big[1]);
        assertEquals(302, big.length);
        assertEquals(5, Frames.varintSize(Integer.MAX_VALUE));
    }

    @Test
    void decoder_anySplitOfABody_yieldsTheSameFramesInOrder() throws Exception {
        long seed = Long.getLong("http.frames.seed", System.nanoTime());
        System.out.println("FramesTest seed " + seed + " (replay with -Dhttp.frames.seed=" + seed + ")");
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            List<byte[]> payloads = new ArrayList<>();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int n = 1 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                byte[] p = new byte[1 + random.nextInt(random.nextBoolean() ? 100 : 20_000)];
                random.nextBytes(p);
                payloads.add(p);
                body.writeBytes(Frames.frame(p));
            }
            byte[] all = body.toByteArray();
            Frames.Decoder d = new Frames.Decoder(20_000, all.length);
            List<byte[]> got = new ArrayList<>();
            int at = 0;
            while (at < all.length) {
                int len = Math.min(all.length - at, 1 + random.nextInt(random.nextBoolean() ? 3 : 5000));
                got.addAll(d.feed(ByteBuffer.wrap(all, at, len)));
                at += len;
            }
            d.finish();
            assertEquals(payloads.size(), got.size(), "seed " + seed);
            for (int i = 0; i < n; i++) {
                assertArrayEquals(payloads.get(i), got.get(i), "seed " + seed + " frame " + i);
            }
        }
    }

    @Test
    void decoder_refusesOversizedFrames_beforeAllocating() {
        Frames.Decoder d = new Frames.Decoder(4096, Long.MAX_VALUE);
        Frames.FrameException e = assertThrows(Frames.FrameException.class,
                () -> d.feed(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F})));
        assertTrue(e.tooLarge);
        assertTrue(e.getMessage().contains("over the limit of 4096"), e.getMessage());
    }

    @Test
    void decoder_refusesBodiesOverTheLimit() {
        Frames.Decoder d = new Frames.Decoder(4096, 10);
        Frames.FrameException e = assertThrows(Frames.FrameException.class,
                () -> d.feed(ByteBuffer.wrap(new byte[11])));
        assertTrue(e.tooLarge);
    }

    @Test
    void decoder_refusesMalformedPrefixes_emptyFrames_truncationAndEmptyBodies() throws Exception {
        assertFalse(assertThrows(Frames.FrameException.class, () -> new Frames.Decoder(4096, 100).feed(ByteBuffer.wrap(
                new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80}))).tooLarge);
        assertThrows(Frames.FrameException.class, () -> new Frames.Decoder(4096, 100).feed(ByteBuffer.wrap(
                new byte[] {0})));
        Frames.Decoder cut = new Frames.Decoder(4096, 100);
        cut.feed(ByteBuffer.wrap(new byte[] {5, 1, 2}));
        assertThrows(Frames.FrameException.class, cut::finish);
        Frames.Decoder half = new Frames.Decoder(4096, 100);
        half.feed(ByteBuffer.wrap(new byte[] {(byte) 0x81}));
        assertThrows(Frames.FrameException.class, half::finish);
        assertThrows(Frames.FrameException.class, new Frames.Decoder(4096, 100)::finish);
    }
}
