package io.flotilla.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flotilla.Bytes;
import io.flotilla.spi.SnapshotKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A damaged snapshot stream — any flipped byte, any truncation, a chain that does not link up — fails
 * {@code restore} and {@code mergeSnapshot} with an {@link IOException} and leaves the live state untouched.
 */
class SnapshotCorruptionTest {
    private Chain chain;
    private KvStateMachine target;

    @BeforeEach
    void setUp() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(1, new KvCommand.Put("alpha", Bytes.ofUtf8("one")).encode());
        sm.apply(2, new KvCommand.Put("beta", Bytes.ofUtf8("two")).encode());
        sm.apply(3, new KvCommand.Put("gamma", Bytes.ofUtf8("three")).encode());
        chain = new Chain();
        chain.full(3, sm.prepareSnapshot(3));
        sm.apply(4, new KvCommand.Delete("beta").encode());
        sm.apply(5, new KvCommand.Put("delta", Bytes.ofUtf8("four")).encode());
        chain.delta(5, sm.prepareDelta(5, 3).orElseThrow());
        target = new KvStateMachine();
        target.apply(1, new KvCommand.Put("keep", Bytes.ofUtf8("me")).encode());
    }

    @Test
    void restore_intactChain_works() throws IOException {
        target.restore(chain.reader());
        assertEquals("[alpha=one, delta=four, gamma=three]", target.contents().stream()
                .map(e -> e.getKey() + "=" + e.getValue().utf8()).toList().toString());
    }

    @Test
    void everyFlippedByte_inEveryPart_failsRestoreAndMerge_andKeepsTheState() {
        for (int p = 0; p < chain.parts.size(); p++) {
            Chain.Part part = chain.parts.get(p);
            for (int i = 0; i < part.data().length; i++) {
                for (int bit : new int[] {0x01, 0x80}) {
                    byte[] bad = part.data().clone();
                    bad[i] ^= (byte) bit;
                    assertFails(replace(p, bad), "part " + p + " byte " + i + " bit " + bit);
                }
            }
        }
    }

    @Test
    void everyTruncation_andTrailingGarbage_failRestoreAndMerge() {
        for (int p = 0; p < chain.parts.size(); p++) {
            byte[] data = chain.parts.get(p).data();
            for (int len = 0; len < data.length; len++) {
                assertFails(replace(p, Arrays.copyOf(data, len)), "part " + p + " cut at " + len);
            }
            assertFails(replace(p, Arrays.copyOf(data, data.length + 1)), "part " + p + " with a trailing byte");
        }
    }

    @Test
    void chainsThatDoNotLinkUp_fail() {
        Chain.Part full = chain.parts.get(0);
        Chain.Part delta = chain.parts.get(1);
        assertFails(List.of(delta), "a delta as the base");
        assertFails(List.of(full, full), "a full part as a delta");
        assertFails(List.of(new Chain.Part(SnapshotKind.FULL, 4, full.data())), "metadata index differs from data");
        assertFails(List.of(full, delta, delta), "a delta that does not follow the previous part");
        assertFails(List.of(new Chain.Part(SnapshotKind.DELTA, 3, full.data()), delta), "kind differs from data");
    }

    private List<Chain.Part> replace(int position, byte[] data) {
        List<Chain.Part> parts = new java.util.ArrayList<>(chain.parts);
        Chain.Part old = parts.get(position);
        parts.set(position, new Chain.Part(old.kind(), old.index(), data));
        return parts;
    }

    private void assertFails(List<Chain.Part> parts, String what) {
        assertThrows(IOException.class, () -> target.restore(Chain.reader(parts)), "restore: " + what);
        assertEquals(List.of(Map.entry("keep", Bytes.ofUtf8("me"))), target.contents(), "state changed: " + what);
        assertEquals(1, target.lastApplied());
        assertThrows(IOException.class,
                () -> target.mergeSnapshot(List.copyOf(parts), new ByteArrayOutputStream()), "merge: " + what);
    }
}
