package io.flotilla.sim.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
    private static final long SEED = Long.getLong("lin.seed", System.nanoTime());

    private final List<Operation<KvInput, KvOutput>> h = new ArrayList<>();

    private void put(int client, String key, String value, long inv, long ret) {
        h.add(Operation.ok(h.size(), client, new KvInput.Put(key, value), KvOutput.WRITTEN, inv, ret));
    }

    private void get(int client, String key, String value, long inv, long ret) {
        h.add(Operation.ok(h.size(), client, new KvInput.Get(key), new KvOutput.Read(Optional.ofNullable(value)),
                inv, ret));
    }

    private void cas(int client, String key, String expected, String value, boolean ok, long inv, long ret) {
        h.add(Operation.ok(h.size(), client, new KvInput.Cas(key, Optional.ofNullable(expected), value),
                new KvOutput.Swapped(ok), inv, ret));
    }

    private CheckResult check() {
        CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, h);
        assertEquals(BruteForceChecker.isLinearizable(KvModel.INSTANCE, h), r.isLinearizable(),
                "brute force disagrees: " + h);
        return r;
    }

    @Test
    void check_sequentialHistory_isLinearizable() {
        put(0, "x", "a", 0, 1);
        get(1, "x", "a", 2, 3);
        cas(0, "x", "a", "b", true, 4, 5);
        get(1, "x", "b", 6, 7);
        CheckResult r = check();
        assertTrue(r.isLinearizable(), r.explanation());
        assertEquals(4, r.operationsChecked());
    }

    @Test
    void check_concurrentReadSeesEitherValue_isLinearizable() {
        put(0, "x", "a", 0, 1);
        put(0, "x", "b", 2, 10);
        get(1, "x", "a", 3, 4);
        get(2, "x", "b", 5, 6);
        assertTrue(check().isLinearizable());
    }

    @Test
    void check_staleRead_isNotLinearizable() {
        put(0, "x", "a", 0, 1);
        put(0, "x", "b", 2, 3);
        get(1, "x", "a", 4, 5);
        CheckResult r = check();
        assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, r.verdict());
        assertTrue(r.explanation().contains("get(x)"), r.explanation());
        assertTrue(r.explanation().contains("longest linearizable prefix"), r.explanation());
    }

    @Test
    void check_readGoesBackInTime_isNotLinearizable() {
        put(0, "x", "a", 0, 1);
        put(0, "x", "b", 2, 20);
        get(1, "x", "b", 3, 4);
        get(2, "x", "a", 5, 6);
        assertFalse(check().isLinearizable());
    }

    @Test
    void check_lostWrite_isNotLinearizable() {
        put(0, "x", "a", 0, 1);
        put(1, "x", "b", 2, 3);
        get(0, "x", "a", 4, 5);
        get(1, "x", "a", 6, 7);
        assertFalse(check().isLinearizable());
    }

    @Test
    void check_doubleCasSuccess_isNotLinearizable() {
        put(0, "x", "a", 0, 1);
        cas(1, "x", "a", "b", true, 2, 10);
        cas(2, "x", "a", "c", true, 3, 11);
        assertFalse(check().isLinearizable());
    }

    @Test
    void check_casFailsWhenItShouldHaveSucceeded_isNotLinearizable() {
        put(0, "x", "a", 0, 1);
        cas(1, "x", "a", "b", false, 2, 3);
        assertFalse(check().isLinearizable());
    }

    @Test
    void check_readOfNeverWrittenValue_isNotLinearizable() {
        put(0, "x", "a", 0, 10);
        get(1, "x", "zz", 2, 3);
        assertFalse(check().isLinearizable());
    }

    @Test
    void check_unknownWriteMayTakeEffectLate_isLinearizable() {
        h.add(Operation.unknown(0, 0, new KvInput.Put("x", "a"), 0));
        get(1, "x", null, 5, 6);
        get(1, "x", "a", 100, 101);
        get(2, "x", "a", 200, 201);
        assertTrue(check().isLinearizable());
    }

    @Test
    void check_unknownWriteMayNeverTakeEffect_isLinearizable() {
        put(0, "x", "a", 0, 1);
        h.add(Operation.unknown(1, 0, new KvInput.Put("x", "b"), 2));
        get(1, "x", "a", 100, 101);
        assertTrue(check().isLinearizable());
    }

    @Test
    void check_unknownWriteCannotTakeEffectBeforeItsInvocation() {
        get(1, "x", "b", 0, 1);
        h.add(Operation.unknown(1, 0, new KvInput.Put("x", "b"), 2));
        assertFalse(check().isLinearizable());
    }

    @Test
    void check_failedWriteIsIgnored() {
        h.add(Operation.failed(0, 0, new KvInput.Put("x", "b"), 0));
        get(1, "x", "b", 5, 6);
        CheckResult r = check();
        assertFalse(r.isLinearizable());
        assertEquals(1, r.operationsChecked());
    }

    @Test
    void check_keysArePartitioned() {
        put(0, "x", "a", 0, 1);
        put(0, "y", "b", 0, 1);
        get(1, "x", "a", 2, 3);
        get(1, "y", "b", 2, 3);
        CheckResult r = check();
        assertTrue(r.isLinearizable());
        assertEquals(2, r.partitions());
    }

    @Test
    void check_tinyBudget_isUnknown() {
        for (int i = 0; i < 10; i++) {
            put(i, "x", "v" + i, 0, 100);
        }
        get(11, "x", "v3", 200, 201);
        CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, h, 3);
        assertEquals(CheckResult.Verdict.UNKNOWN, r.verdict());
    }

    // ---------------------------------------------------------------- randomized

    /** Builds a history from a random sequential execution, with random overlaps around each linearization point. */
    private static List<Operation<KvInput, KvOutput>> randomHistory(SplittableRandom rnd, int n, int keys,
            int maxSpread, double unknownRate) {
        List<Operation<KvInput, KvOutput>> ops = new ArrayList<>();
        String[] state = new String[keys];
        int fresh = 0;
        for (int i = 0; i < n; i++) {
            long point = 100L * (i + 1);
            String key = "k" + rnd.nextInt(keys);
            int k = Integer.parseInt(key.substring(1));
            KvInput input;
            KvOutput output;
            int kind = rnd.nextInt(3);
            if (kind == 0) {
                input = new KvInput.Put(key, "v" + fresh++);
                output = KvOutput.WRITTEN;
                state[k] = ((KvInput.Put) input).value();
            } else if (kind == 1) {
                input = new KvInput.Get(key);
                output = new KvOutput.Read(Optional.ofNullable(state[k]));
            } else {
                String expected = rnd.nextBoolean() ? state[k] : (fresh > 0 ? "v" + rnd.nextInt(fresh) : null);
                input = new KvInput.Cas(key, Optional.ofNullable(expected), "v" + fresh++);
                boolean ok = java.util.Objects.equals(expected, state[k]);
                output = new KvOutput.Swapped(ok);
                if (ok) {
                    state[k] = ((KvInput.Cas) input).newValue();
                }
            }
            long inv = point - rnd.nextInt(maxSpread + 1);
            long ret = point + rnd.nextInt(maxSpread + 1);
            if (!(input instanceof KvInput.Get) && rnd.nextDouble() < unknownRate) {
                ops.add(Operation.unknown(i, i % 8, input, inv));
            } else {
                ops.add(Operation.ok(i, i % 8, input, output, inv, ret));
            }
        }
        return ops;
    }

    @Test
    void check_randomSequentialExecutionsWithOverlap_areLinearizable() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int round = 0; round < 200; round++) {
            List<Operation<KvInput, KvOutput>> ops = randomHistory(rnd, 20 + rnd.nextInt(300), 1 + rnd.nextInt(4),
                    rnd.nextInt(600), 0.1);
            CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, ops);
            assertTrue(r.isLinearizable(), "seed " + SEED + " (-Dlin.seed=" + SEED + ") round " + round + "\n"
                    + r.explanation());
        }
    }

    @Test
    void check_randomHistoryWithOneReadOfAnUnwrittenValue_isNotLinearizable() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        int mutated = 0;
        for (int round = 0; round < 200; round++) {
            List<Operation<KvInput, KvOutput>> ops = randomHistory(rnd, 20 + rnd.nextInt(300), 1 + rnd.nextInt(4),
                    rnd.nextInt(400), 0.02);
            List<Integer> reads = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                if (ops.get(i).input() instanceof KvInput.Get && ops.get(i).isOk()) {
                    reads.add(i);
                }
            }
            if (reads.isEmpty()) {
                continue;
            }
            int victim = reads.get(rnd.nextInt(reads.size()));
            Operation<KvInput, KvOutput> old = ops.get(victim);
            ops.set(victim, Operation.ok(old.id(), old.client(), old.input(),
                    new KvOutput.Read(Optional.of("never-written")), old.invokeNanos(), old.returnNanos()));
            mutated++;
            CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, ops);
            assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, r.verdict(),
                    "seed " + SEED + " (-Dlin.seed=" + SEED + ") round " + round);
        }
        assertTrue(mutated > 100);
    }

    @Test
    void check_smallRandomHistories_agreeWithBruteForce() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        int rejected = 0;
        int accepted = 0;
        for (int round = 0; round < 3000; round++) {
            List<Operation<KvInput, KvOutput>> ops = randomHistory(rnd, 1 + rnd.nextInt(8), 1 + rnd.nextInt(2),
                    rnd.nextInt(400), 0.2);
            if (rnd.nextBoolean()) {
                mutateOne(rnd, ops);
            }
            boolean expected = BruteForceChecker.isLinearizable(KvModel.INSTANCE, ops);
            CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, ops);
            assertEquals(expected, r.isLinearizable(),
                    "seed " + SEED + " (-Dlin.seed=" + SEED + ") round " + round + ": " + ops);
            if (expected) {
                accepted++;
            } else {
                rejected++;
            }
        }
        System.out.println("LinearizabilityCheckerTest seed=" + SEED + " (replay: -Dlin.seed=" + SEED
                + "): brute-force cross-check accepted=" + accepted + " rejected=" + rejected);
        assertTrue(rejected > 100 && accepted > 100, "both outcomes must be exercised");
    }

    /** Replaces one operation's output with another plausible one (a written value, or the opposite CAS result). */
    private static void mutateOne(SplittableRandom rnd, List<Operation<KvInput, KvOutput>> ops) {
        int i = rnd.nextInt(ops.size());
        Operation<KvInput, KvOutput> old = ops.get(i);
        if (!old.isOk()) {
            return;
        }
        KvOutput out;
        if (old.input() instanceof KvInput.Get) {
            out = new KvOutput.Read(rnd.nextInt(4) == 0 ? Optional.empty() : Optional.of("v" + rnd.nextInt(8)));
        } else if (old.input() instanceof KvInput.Cas) {
            out = new KvOutput.Swapped(!((KvOutput.Swapped) old.output()).swapped());
        } else {
            return;
        }
        ops.set(i, Operation.ok(old.id(), old.client(), old.input(), out, old.invokeNanos(), old.returnNanos()));
    }
}
