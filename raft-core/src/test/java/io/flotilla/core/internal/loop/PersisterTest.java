package io.flotilla.core.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.message.HeartbeatResponse;
import io.flotilla.message.RaftMessage;
import io.flotilla.testkit.mem.MemStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PersisterTest {
    private static final NodeId N1 = NodeId.of("n1");
    private static final NodeId N2 = NodeId.of("n2");

    private final ManualRuntime runtime = new ManualRuntime(1);
    private final MemStorage storage = MemStorage.create(N1);
    private final RecordingTransport transport = new RecordingTransport();
    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private final KvRecorder stateMachine = new KvRecorder();
    private final Applier applier = new Applier(stateMachine, io.flotilla.testkit.mem.MemStorage.create(io.flotilla.NodeId.of("t")), runtime, new PendingOps(RaftConfig.defaults()),
            () -> callbacks);
    private final Persister persister = new Persister(storage, transport, runtime, applier, () -> callbacks);

    private static List<LogEntry> entries(long from, long to, long term) {
        return LongStream.rangeClosed(from, to)
                .mapToObj(i -> LogEntry.command(i, term, Bytes.ofUtf8("c" + i + "@" + term)))
                .collect(Collectors.toList());
    }

    private static RaftMessage ack(long term) {
        return new HeartbeatResponse(N1, N2, term, term, 0);
    }

    private static PersistBatch batch(List<LogEntry> entries, Optional<HardState> hs, List<RaftMessage> after,
            List<LogEntry> committed) {
        return new PersistBatch(hs, entries, after, new ApplyBatch(committed, List.of()));
    }

    @Test
    void submit_queuedBatches_mergeIntoOneAppendAndOneSave() throws IOException {
        persister.start(0);
        applier.start(0, 0, null);
        persister.submit(batch(entries(1, 3, 1), Optional.of(HardState.of(1, N2)), List.of(ack(1)), List.of()));
        persister.submit(batch(entries(4, 5, 1), Optional.empty(), List.of(ack(2)), List.of()));
        persister.submit(batch(entries(6, 6, 2), Optional.of(HardState.of(2)), List.of(ack(3)), List.of()));

        assertEquals(1, runtime.storage.size(), "one drain is scheduled for all queued batches");
        assertTrue(transport.sent.isEmpty(), "nothing is sent before the write is durable");
        ManualRuntime.runAll(runtime.storage);

        assertEquals(1, persister.appendCalls());
        assertEquals(1, persister.saveCalls());
        assertEquals(6, storage.log().lastIndex());
        assertEquals(2, storage.log().term(6));
        assertEquals(HardState.of(2), storage.state().load(), "the last hard state wins");
        assertEquals(List.of(ack(1), ack(2), ack(3)), transport.sent, "after-persist messages in batch order");
        assertEquals(1, callbacks.persisted.size());
        assertEquals(6, callbacks.persisted.get(0)[0]);
        assertEquals(2, callbacks.persisted.get(0)[1]);
    }

    @Test
    void submit_entriesAtOrBelowStoredLast_truncateSuffixFirst() throws IOException {
        storage.log().append(entries(1, 5, 1));
        persister.start(5);
        applier.start(0, 0, null);
        persister.submit(batch(entries(4, 6, 2), Optional.empty(), List.of(), List.of()));
        ManualRuntime.runAll(runtime.storage);

        assertEquals(6, storage.log().lastIndex());
        assertEquals(List.of(1L, 1L, 1L, 2L, 2L, 2L), terms(1, 6));
        assertEquals(1, callbacks.persisted.size());
        assertEquals(6, callbacks.persisted.get(0)[0]);
    }

    @Test
    void submit_laterQueuedBatchOverwritesEarlier_cutInMemoryBeforeOneAppend() throws IOException {
        persister.start(0);
        applier.start(0, 0, null);
        persister.submit(batch(entries(1, 5, 1), Optional.empty(), List.of(), List.of()));
        persister.submit(batch(entries(3, 4, 2), Optional.empty(), List.of(), List.of()));
        ManualRuntime.runAll(runtime.storage);

        assertEquals(1, persister.appendCalls());
        assertEquals(4, storage.log().lastIndex());
        assertEquals(List.of(1L, 1L, 2L, 2L), terms(1, 4));
        assertEquals(4, callbacks.persisted.get(0)[0]);
        assertEquals(2, callbacks.persisted.get(0)[1]);
    }

    @Test
    void mergeInto_gap_isRejected() {
        List<LogEntry> merged = new ArrayList<>(entries(1, 2, 1));
        assertThrows(IllegalStateException.class, () -> Persister.mergeInto(merged, entries(4, 4, 1)));
    }

    @Test
    void submit_committedEntries_appliedOnlyAfterTheirBatchIsDurable() {
        persister.start(0);
        applier.start(0, 0, null);
        persister.submit(batch(entries(1, 2, 1), Optional.empty(), List.of(), entries(1, 2, 1)));
        ManualRuntime.runAll(runtime.apply);
        assertTrue(stateMachine.applied.isEmpty(), "nothing applied before the storage thread ran");
        ManualRuntime.runAll(runtime.storage);
        ManualRuntime.runAll(runtime.apply);
        assertEquals(List.of(1L, 2L), stateMachine.applied);
        assertEquals(List.of(2L), callbacks.applied);
    }

    @Test
    void submit_committedEntriesAlreadyDurable_applyWithoutWaitingForTheWriteInProgress() throws IOException {
        persister.start(0);
        applier.start(0, 0, null);
        persister.submit(batch(entries(1, 2, 1), Optional.empty(), List.of(), List.of()), 0);
        ManualRuntime.runAll(runtime.storage);
        // The leader's next batch: entries 3..4 to write, entries 1..2 committed and durable already.
        persister.submit(batch(entries(3, 4, 1), Optional.empty(), List.of(), entries(1, 2, 1)), 2);
        ManualRuntime.runAll(runtime.apply);
        assertEquals(List.of(1L, 2L), stateMachine.applied, "applied before the storage thread ran");
        ManualRuntime.runAll(runtime.storage);
        assertEquals(4, storage.log().lastIndex(), "the entries of the batch are still written");
    }

    @Test
    void submit_earlierApplyStillWaiting_laterDurableEntriesWaitBehindIt() {
        persister.start(0);
        applier.start(0, 0, null);
        // A follower: entries 1..2 committed in the batch that writes them, so they wait for it ...
        persister.submit(batch(entries(1, 2, 1), Optional.empty(), List.of(), entries(1, 1, 1)), 0);
        // ... and entry 2, though reported durable by then, must not overtake entry 1.
        persister.submit(batch(List.of(), Optional.empty(), List.of(), entries(2, 2, 1)), 2);
        ManualRuntime.runAll(runtime.apply);
        assertTrue(stateMachine.applied.isEmpty(), "nothing overtakes apply work queued behind a write");
        ManualRuntime.runAll(runtime.storage);
        ManualRuntime.runAll(runtime.apply);
        assertEquals(List.of(1L, 2L), stateMachine.applied);
    }

    @Test
    void discard_onAStoreThatKeepsWholeSegments_leavesNoStaleEntryInFrontOfTheNewOnes() throws IOException {
        // compactPrefix "may keep some" entries: this store keeps whole segments of 16 entries, as store-file keeps segment files.
        io.flotilla.spi.LogStore mem = storage.log();
        io.flotilla.spi.LogStore segmented = new io.flotilla.spi.LogStore() {
            @Override public long firstIndex() throws IOException { return mem.firstIndex(); }
            @Override public long lastIndex() throws IOException { return mem.lastIndex(); }
            @Override public long term(long index) throws IOException { return mem.term(index); }
            @Override public List<LogEntry> entries(long from, long to, long max) throws IOException {
                return mem.entries(from, to, max);
            }
            @Override public void append(List<LogEntry> entries) throws IOException { mem.append(entries); }
            @Override public void truncateSuffix(long from) throws IOException { mem.truncateSuffix(from); }
            @Override public void compactPrefix(long through) throws IOException {
                mem.compactPrefix(through >= mem.lastIndex() ? through : through / 16 * 16);
            }
            @Override public void close() throws IOException { mem.close(); }
        };
        io.flotilla.spi.Storage store = new io.flotilla.spi.Storage() {
            @Override public io.flotilla.spi.LogStore log() { return segmented; }
            @Override public io.flotilla.spi.StateStore state() { return storage.state(); }
            @Override public io.flotilla.spi.SnapshotStore snapshots() { return storage.snapshots(); }
            @Override public void close() throws IOException { storage.close(); }
        };
        Persister p = new Persister(store, transport, runtime, applier, () -> callbacks);
        p.start(0);
        applier.start(0, 0, null);
        p.submit(batch(entries(1, 40, 1), Optional.empty(), List.of(), List.of()));
        ManualRuntime.runAll(runtime.storage);
        // A snapshot through 30 of term 2 from a new leader; this log does not continue it; 31..32 follow.
        p.submit(new PersistBatch(Optional.empty(), Optional.of(new io.flotilla.core.internal.protocol.LogCompaction(30,
                true)), entries(31, 32, 2), List.of(), ApplyBatch.EMPTY));
        ManualRuntime.runAll(runtime.storage);

        assertTrue(segmented.firstIndex() > 30, "nothing at or below the snapshot index is left: "
                + segmented.firstIndex());
        Recovery.reconcile(segmented, 30, 2); // what a restart does
        assertEquals(32, segmented.lastIndex(), "the entries after the snapshot survive a restart");
        assertEquals(List.of(2L, 2L), terms(31, 32));
    }

    @Test
    void submit_storeFails_haltsReportsAndSendsNothingMore() throws IOException {
        persister.start(0);
        applier.start(0, 0, null);
        IOException fsync = new IOException("fsync failed");
        storage.failNextWrite(fsync);
        persister.submit(batch(entries(1, 1, 1), Optional.of(HardState.of(1, N1)), List.of(ack(1)), entries(1, 1, 1)));
        ManualRuntime.runAll(runtime.storage);

        assertEquals(1, callbacks.failures.size());
        assertTrue(isCausedBy(callbacks.failures.get(0), fsync), "reports the store's error");
        assertTrue(persister.isHalted());
        assertTrue(transport.sent.isEmpty(), "no vote or ack after a failed write");
        assertTrue(callbacks.persisted.isEmpty());

        persister.submit(batch(entries(2, 2, 1), Optional.empty(), List.of(ack(2)), List.of()));
        ManualRuntime.runAll(runtime.storage);
        ManualRuntime.runAll(runtime.apply);
        assertTrue(transport.sent.isEmpty(), "later batches are dropped, never retried");
        assertTrue(stateMachine.applied.isEmpty());
        assertEquals(1, callbacks.failures.size());
    }

    private static boolean isCausedBy(Throwable t, Throwable cause) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c == cause) {
                return true;
            }
        }
        return false;
    }

    private List<Long> terms(long from, long to) throws IOException {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(storage.log().term(i));
        }
        return out;
    }
}
