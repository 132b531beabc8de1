package io.flotilla.core.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flotilla.Bytes;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.testkit.mem.MemStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random sequences of overlapping persist batches, drained at random points, checked against a plain
 * list model of the log: whatever the merging does, the store must end up equal to applying every batch in order
 * (truncate from the batch's first index, then append). Prints its seed on failure; replay with
 * {@code -Dflotilla.loop.seed=N}.
 */
class PersisterRandomTest {
    private static final NodeId N1 = NodeId.of("n1");

    @Test
    void randomOverlappingBatches_storeMatchesModel() throws Exception {
        long seed = Long.getLong("flotilla.loop.seed", new SplittableRandom().nextLong());
        for (int run = 0; run < 50; run++) {
            long runSeed = seed + run;
            try {
                runOnce(runSeed);
            } catch (AssertionError | Exception e) {
                throw new AssertionError("failed with seed " + runSeed + "; replay with -Dflotilla.loop.seed="
                        + runSeed, e);
            }
        }
    }

    private static void runOnce(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        ManualRuntime runtime = new ManualRuntime(seed);
        MemStorage storage = MemStorage.create(N1);
        RecordingCallbacks callbacks = new RecordingCallbacks();
        Applier applier = new Applier(new KvRecorder(), io.flotilla.testkit.mem.MemStorage.create(io.flotilla.NodeId.of("t")), runtime, new PendingOps(RaftConfig.defaults()),
                () -> callbacks);
        Persister persister = new Persister(storage, new RecordingTransport(), runtime, applier, () -> callbacks);
        persister.start(0);
        applier.start(0, 0, null);
        List<LogEntry> model = new ArrayList<>();
        HardState modelState = HardState.INITIAL;
        long term = 1;
        int submitted = 0;
        for (int step = 0; step < 200; step++) {
            if (random.nextInt(4) == 0) {
                ManualRuntime.runAll(runtime.storage);
                continue;
            }
            long last = model.isEmpty() ? 0 : model.get(model.size() - 1).index();
            // Mostly extend the log; sometimes overwrite a suffix with a newer term (a new leader's entries).
            long first = random.nextInt(3) == 0 && last > 0 ? 1 + random.nextLong(last) : last + 1;
            if (first <= last) {
                term++;
            }
            int n = 1 + random.nextInt(5);
            List<LogEntry> entries = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                entries.add(LogEntry.command(first + i, term, Bytes.ofUtf8("s" + step + "." + i)));
            }
            Optional<HardState> hs = random.nextBoolean() ? Optional.of(HardState.of(term)) : Optional.empty();
            persister.submit(new PersistBatch(hs, entries, List.of(), ApplyBatch.EMPTY));
            submitted++;
            model.subList((int) (first - 1), model.size()).clear();
            model.addAll(entries);
            if (hs.isPresent()) {
                modelState = hs.get();
            }
        }
        ManualRuntime.runAll(runtime.storage);
        long last = model.get(model.size() - 1).index();
        assertEquals(last, storage.log().lastIndex());
        assertEquals(model, storage.log().entries(1, last + 1, Long.MAX_VALUE));
        assertEquals(modelState, storage.state().load());
        long[] persisted = callbacks.persisted.get(callbacks.persisted.size() - 1);
        assertEquals(last, persisted[0]);
        assertEquals(model.get(model.size() - 1).term(), persisted[1]);
        org.junit.jupiter.api.Assertions.assertTrue(persister.appendCalls() <= submitted, "merging never adds appends");
        assertEquals(List.of(), callbacks.failures);
    }
}
