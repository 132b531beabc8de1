package io.flotilla.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Snapshot data whose every byte is a pure function of (seed, position), so a test can stream gigabytes through a
 * store and check each byte read back against the expected one without ever holding the data: the test itself
 * keeps at most one 64 KiB block and a few MiB of buffers, whatever the size.
 *
 * <p>Writing uses every {@link OutputStream} method in small and odd-sized pieces (single bytes, slices at odd
 * offsets, lengths crossing 64 KiB boundaries, pieces above 1 MiB); reading uses every {@link InputStream} read
 * method likewise and checks the stream API rules ({@code read} never returns 0 for a non-empty request, at most
 * the length asked for, -1 at the end and again after it). Not thread-safe; one instance per stream.
 */
public final class Content {
    private static final int BLOCK = 64 * 1024;
    /** Piece sizes cycled through by {@link #writeInOddPieces}: tiny, odd, block-crossing and large. */
    private static final int[] PIECES = {1, 3, 7, 4093, 65_537, 1, 511, 100_003, (1 << 20) + 1, 13, 65_536};

    private final long seed;
    private final byte[] block = new byte[BLOCK];
    private long blockIndex = -1;

    /**
     * Creates the content for a seed.
     *
     * @param seed the seed
     */
    public Content(long seed) {
        this.seed = seed;
    }

    private void load(long pos) {
        long b = pos / BLOCK;
        if (b != blockIndex) {
            new SplittableRandom(seed * 0x9E3779B97F4A7C15L + b).nextBytes(block);
            blockIndex = b;
        }
    }

    private byte at(long pos) {
        load(pos);
        return block[(int) (pos % BLOCK)];
    }

    private void fill(long pos, byte[] dst, int off, int len) {
        int done = 0;
        while (done < len) {
            load(pos + done);
            int at = (int) ((pos + done) % BLOCK);
            int n = Math.min(len - done, BLOCK - at);
            System.arraycopy(block, at, dst, off + done, n);
            done += n;
        }
    }

    /**
     * Writes {@code size} bytes of the content, cycling through single-byte writes, whole-array writes and slices
     * at odd offsets, with piece sizes from 1 byte to over 1 MiB.
     *
     * @param out the destination
     * @param size how many bytes
     * @throws IOException if writing fails
     */
    public void writeInOddPieces(OutputStream out, long size) throws IOException {
        byte[] buf = new byte[(1 << 20) + 64];
        long pos = 0;
        int turn = 0;
        while (pos < size) {
            int piece = (int) Math.min(size - pos, PIECES[turn % PIECES.length]);
            switch (turn % 3) {
                case 0 -> {
                    if (piece == 1) {
                        out.write(at(pos));
                    } else {
                        byte[] exact = new byte[piece];
                        fill(pos, exact, 0, piece);
                        out.write(exact);
                    }
                }
                case 1 -> {
                    int off = 17 + turn % 29;
                    fill(pos, buf, off, piece);
                    out.write(buf, off, piece);
                }
                default -> {
                    // single bytes then a slice, to catch a store mixing up its own buffer position
                    int singles = Math.min(piece, 5);
                    for (int i = 0; i < singles; i++) {
                        out.write(at(pos + i));
                    }
                    fill(pos + singles, buf, 3, piece - singles);
                    out.write(buf, 3, piece - singles);
                }
            }
            pos += piece;
            turn++;
        }
        out.write(buf, 0, 0); // an empty write is a no-op
    }

    /**
     * Reads a stream to its end with a mix of single-byte and odd-sized bulk reads, checking every byte against
     * the content and the {@link InputStream} rules; closes the stream.
     *
     * @param in the stream
     * @param size the expected size
     * @param what names the stream in messages
     * @throws IOException if reading fails
     */
    public void verifyStream(InputStream in, long size, String what) throws IOException {
        try (in) {
            Cursor c = new Cursor(in, what);
            while (c.step(size)) {
                // each step reads and checks one piece
            }
            assertEquals(size, c.pos, what + ": stream length");
        }
    }

    /**
     * Reads two streams of the same data alternately, in different piece sizes, checking both: streams of one
     * part are independent.
     *
     * @param seed the content seed
     * @param ia the first stream
     * @param ib the second stream
     * @param size the expected size
     * @param what names the streams in messages
     * @throws IOException if reading fails
     */
    public static void verifyInterleaved(long seed, InputStream ia, InputStream ib, long size, String what)
            throws IOException {
        try (ia; ib) {
            Content.Cursor ca = new Content(seed).new Cursor(ia, what + " (stream 1)");
            Content.Cursor cb = new Content(seed).new Cursor(ib, what + " (stream 2)");
            boolean moreA = true;
            boolean moreB = true;
            while (moreA || moreB) {
                if (moreA) {
                    moreA = ca.step(size);
                }
                if (moreB) {
                    moreB = cb.step(size) && cb.step(size);
                }
            }
            assertEquals(size, ca.pos, what + ": stream 1 length");
            assertEquals(size, cb.pos, what + ": stream 2 length");
        }
    }

    /** A reading position in one stream. */
    private final class Cursor {
        private final InputStream in;
        private final String what;
        private final byte[] buf = new byte[(1 << 20) + 64];
        private long pos;
        private int turn;
        private boolean ended;

        Cursor(InputStream in, String what) {
            this.in = in;
            this.what = what;
        }

        /** Reads one piece; returns false once the end was reached (checked twice). */
        boolean step(long size) throws IOException {
            if (ended) {
                return false;
            }
            int want = PIECES[(turn + 4) % PIECES.length];
            turn++;
            if (want == 1 || turn % 5 == 0) {
                int b = in.read();
                if (b < 0) {
                    return end(size);
                }
                assertTrue(b <= 255, what + ": read() returned " + b);
                check(pos, (byte) b);
                pos++;
                return true;
            }
            int off = turn % 2 == 0 ? 0 : 1 + turn % 61;
            assertEquals(0, in.read(buf, off, 0), what + ": read of 0 bytes");
            int n = in.read(buf, off, want);
            if (n < 0) {
                return end(size);
            }
            assertTrue(n > 0 && n <= want, what + ": read(b, off, " + want + ") returned " + n);
            int done = 0;
            while (done < n) {
                load(pos + done);
                int at = (int) ((pos + done) % BLOCK);
                int k = Math.min(n - done, BLOCK - at);
                int bad = Arrays.mismatch(buf, off + done, off + done + k, block, at, at + k);
                if (bad >= 0) {
                    check(pos + done + bad, buf[off + done + bad]);
                }
                done += k;
            }
            pos += n;
            return true;
        }

        private boolean end(long size) throws IOException {
            assertEquals(size, pos, what + ": stream ended early or late");
            assertEquals(-1, in.read(), what + ": read() after the end");
            assertEquals(-1, in.read(buf, 0, 10), what + ": read(b) after the end");
            ended = true;
            return false;
        }

        private void check(long p, byte got) {
            byte want = at(p);
            if (got != want) {
                throw new AssertionError(what + ": byte at offset " + p + " is " + got + ", expected " + want);
            }
        }
    }
}
