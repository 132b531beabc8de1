package io.flotilla.examples.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded random operations against a model ({@link TreeMap}), with full and delta snapshots, merges and restores
 * at random points. Replay one run with {@code -Dkv.seed=N} (the seed is printed).
 */
class KvStateMachineTest {
    private static final int RUNS = 40;
    private static final int OPS = 1500;

    @Test
    void randomOperations_snapshotsRestoresAndMerges_matchTheModel() throws IOException {
        String fixed = System.getProperty("kv.seed");
        long base = fixed != null ? Long.parseLong(fixed) : 20261123L;
        int runs = fixed != null ? 1 : RUNS;
        for (int run = 0; run < runs; run++) {
            long seed = base + run;
            try {
                runOnce(seed);
            } catch (AssertionError | IOException | RuntimeException e) {
                throw new AssertionError("failed with seed " + seed + " (replay: -Dkv.seed=" + seed + ")", e);
            }
        }
    }

    private static void runOnce(long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        int keySpace = 1 + rnd.nextInt(60);
        KvStateMachine live = new KvStateMachine();
        TreeMap<String, String> model = new TreeMap<>();
        Map<String, Long> versions = new TreeMap<>();
        Chain chain = new Chain();
        KvStateMachine follower = null; // restored from the chain at some point, then fed the same commands
        long index = 0;
        for (int op = 0; op < OPS; op++) {
            index += rnd.nextInt(10) == 0 ? 2 + rnd.nextInt(3) : 1; // gaps: no-op and configuration entries
            String key = "k" + rnd.nextInt(keySpace);
            KvCommand cmd = randomCommand(rnd, key, model);
            Bytes encoded = cmd.encode();
            KvResult got = KvResult.decode(live.apply(index, encoded));
            if (follower != null) {
                assertEquals(got, KvResult.decode(follower.apply(index, encoded)), "follower diverged at " + index);
            }
            assertEquals(expected(cmd, index, model, versions), got, "result of " + cmd + " at " + index);
            if (rnd.nextInt(8) == 0) {
                String probe = "k" + rnd.nextInt(keySpace);
                KvResult read = KvResult.decode(live.query(new KvCommand.Get(probe).encode()));
                assertEquals(model.containsKey(probe) ? KvResult.found(versions.get(probe), Bytes.ofUtf8(model.get(probe)))
                        : KvResult.notFound(), read);
            }
            if (rnd.nextInt(40) == 0 && snapshot(rnd, live, chain, index)) {
                verifyChain(chain, model, live, rnd);
                if (rnd.nextInt(3) == 0) {
                    follower = new KvStateMachine();
                    follower.restore(chain.reader());
                }
                if (rnd.nextInt(4) == 0) { // the core replaces a long chain by its merge
                    byte[] merged = chain.merge(new KvStateMachine());
                    long at = chain.lastIndex();
                    chain.parts.clear();
                    chain.parts.add(new Chain.Part(io.flotilla.spi.SnapshotKind.FULL, at, merged));
                }
            }
        }
        assertEquals(List.copyOf(model.entrySet()).toString(), contents(live).toString());
        if (follower != null) {
            assertArrayEquals(Chain.write(live.prepareSnapshot(index)), Chain.write(follower.prepareSnapshot(index)));
        }
    }

    private static KvCommand randomCommand(SplittableRandom rnd, String key, TreeMap<String, String> model) {
        int kind = rnd.nextInt(10);
        if (kind < 5) {
            return new KvCommand.Put(key, Bytes.ofUtf8("v" + rnd.nextInt(1000)));
        } else if (kind < 8) {
            return new KvCommand.Delete(key);
        }
        Optional<Bytes> expect = rnd.nextBoolean()
                ? Optional.ofNullable(model.get(key)).map(Bytes::ofUtf8)       // usually succeeds
                : Optional.of(Bytes.ofUtf8("v" + rnd.nextInt(1000)));            // usually fails
        return new KvCommand.CompareAndSet(key, expect, Bytes.ofUtf8("c" + rnd.nextInt(1000)));
    }

    private static KvResult expected(KvCommand cmd, long index, TreeMap<String, String> model, Map<String, Long> versions) {
        if (cmd instanceof KvCommand.Put p) {
            model.put(p.key(), p.value().utf8());
            versions.put(p.key(), index);
            return KvResult.ok(index);
        } else if (cmd instanceof KvCommand.Delete d) {
            if (model.remove(d.key()) == null) {
                return KvResult.notFound();
            }
            versions.remove(d.key());
            return KvResult.ok(index);
        }
        KvCommand.CompareAndSet c = (KvCommand.CompareAndSet) cmd;
        Optional<Bytes> current = Optional.ofNullable(model.get(c.key())).map(Bytes::ofUtf8);
        if (!current.equals(c.expected())) {
            return new KvResult(KvResult.Status.CAS_MISMATCH, versions.getOrDefault(c.key(), 0L), current, "");
        }
        model.put(c.key(), c.value().utf8());
        versions.put(c.key(), index);
        return KvResult.ok(index);
    }

    /** Takes a snapshot into the chain; false if it "failed" (was prepared, then abandoned). */
    private static boolean snapshot(SplittableRandom rnd, KvStateMachine live, Chain chain, long index) {
        if (!chain.parts.isEmpty() && chain.lastIndex() < index && rnd.nextInt(5) != 0) {
            Optional<io.flotilla.spi.SnapshotImage> delta = live.prepareDelta(index, chain.lastIndex());
            if (delta.isPresent()) {
                chain.delta(index, delta.get());
                return true;
            }
        }
        if (!chain.parts.isEmpty() && rnd.nextInt(6) == 0) {
            // A snapshot whose write fails: the chain stays as it was, the next delta builds on the old base.
            if (rnd.nextBoolean()) {
                live.prepareSnapshot(index).close();
            } else {
                live.prepareDelta(index, chain.lastIndex()).ifPresent(io.flotilla.spi.SnapshotImage::close);
            }
            return false;
        }
        chain.full(index, live.prepareSnapshot(index));
        return true;
    }

    /** restore(chain) == live state; merge(chain) == the restored node's full snapshot (== the live one's). */
    private static void verifyChain(Chain chain, TreeMap<String, String> model, KvStateMachine live,
            SplittableRandom rnd) throws IOException {
        KvStateMachine restored = new KvStateMachine();
        restored.restore(chain.reader());
        assertEquals(List.copyOf(model.entrySet()).toString(), contents(restored).toString());
        assertEquals(chain.lastIndex(), restored.lastApplied());
        byte[] merged = chain.merge(restored);
        assertArrayEquals(Chain.write(restored.prepareSnapshot(chain.lastIndex())), merged);
        if (rnd.nextBoolean() && live.lastApplied() <= chain.lastIndex()) {
            // Also the live node's own full snapshot at the same index (an extra prepare must be harmless).
            assertArrayEquals(Chain.write(live.prepareSnapshot(chain.lastIndex())), merged);
        }
    }

    private static List<Map.Entry<String, String>> contents(KvStateMachine sm) {
        return sm.contents().stream().map(e -> Map.entry(e.getKey(), e.getValue().utf8())).toList();
    }

    @Test
    void prepareDelta_onABaseOlderThanDroppedTombstones_isEmpty_soAFullSnapshotIsTaken() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(1, new KvCommand.Put("a", Bytes.ofUtf8("1")).encode());
        sm.prepareSnapshot(1).close();
        sm.apply(2, new KvCommand.Delete("a").encode());
        sm.prepareSnapshot(2).close();                    // the snapshot at 1 is assumed durable
        sm.apply(3, new KvCommand.Put("b", Bytes.ofUtf8("2")).encode());
        assertTrue(sm.prepareDelta(3, 2).isPresent());    // drops the tombstone of "a" (at 2)
        sm.apply(4, new KvCommand.Put("c", Bytes.ofUtf8("3")).encode());
        // A base at 1 would need that tombstone: the state machine declines instead of losing the deletion.
        assertFalse(sm.prepareDelta(4, 1).isPresent());
        assertTrue(sm.prepareDelta(4, 3).isPresent());
    }

    @Test
    void apply_malformedCommand_isAnsweredInvalid_andChangesNothing() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(1, new KvCommand.Put("a", Bytes.ofUtf8("1")).encode());
        for (Bytes bad : List.of(Bytes.EMPTY, Bytes.copyOf(new byte[] {9, 1}), Bytes.copyOf(new byte[] {1, 77}),
                Bytes.copyOf(new byte[] {1, 1, 0, 5, 'a'}), new KvCommand.Get("a").encode())) {
            KvResult r = KvResult.decode(sm.apply(sm.lastApplied() + 1, bad));
            assertEquals(KvResult.Status.INVALID, r.status(), r.toString());
            assertFalse(r.message().isEmpty());
        }
        assertEquals(List.of(Map.entry("a", "1")), contents(sm));
    }

    @Test
    void commands_roundTripThroughTheirEncoding() {
        for (KvCommand c : List.of(new KvCommand.Put("ключ", Bytes.ofUtf8("v")), new KvCommand.Delete("x"),
                new KvCommand.CompareAndSet("k", Optional.empty(), Bytes.EMPTY),
                new KvCommand.CompareAndSet("k", Optional.of(Bytes.ofUtf8("old")), Bytes.ofUtf8("new")),
                new KvCommand.Get("g"), new KvCommand.Stats())) {
            assertEquals(c, KvCommand.decode(c.encode()));
        }
        KvResult r = new KvResult(KvResult.Status.CAS_MISMATCH, 7, Optional.of(Bytes.ofUtf8("cur")), "");
        assertEquals(r, KvResult.decode(r.encode()));
    }
}
