package io.flotilla.core.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.ProposalDroppedException;
import io.flotilla.ProposalResult;
import io.flotilla.RaftConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ApplierTest {
    private final ManualRuntime runtime = new ManualRuntime(1);
    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private final KvRecorder stateMachine = new KvRecorder();
    private final PendingOps pending = new PendingOps(RaftConfig.defaults());
    private final Applier applier = new Applier(stateMachine, io.flotilla.testkit.mem.MemStorage.create(io.flotilla.NodeId.of("t")), runtime, pending, () -> callbacks);

    private static LogEntry cmd(long index, long term) {
        return LogEntry.command(index, term, Bytes.ofUtf8("c" + index));
    }

    private void apply(LogEntry... entries) {
        applier.submit(new ApplyBatch(List.of(entries), List.of()));
    }

    private PendingProposal appended(long index, long term) {
        PendingProposal p = new PendingProposal(Bytes.ofUtf8("c" + index));
        p.index = index;
        p.term = term;
        pending.appended(p);
        return p;
    }

    @Test
    void submit_overlappingBatches_appliesEachIndexOnceInOrder() {
        applier.start(0, 0, null);
        apply(cmd(1, 1), cmd(2, 1), cmd(3, 1));
        apply(cmd(2, 1), cmd(3, 1), cmd(4, 1), cmd(5, 1));
        apply(cmd(5, 1));
        runtime.runUntilIdle();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), stateMachine.applied);
        assertEquals(List.of(3L, 5L), callbacks.applied, "the applied index is posted once per batch that moved it");
    }

    @Test
    void submit_afterSnapshotRestore_skipsCoveredEntries() {
        applier.start(10, 0, null);
        apply(cmd(9, 1), cmd(10, 1), cmd(11, 2));
        runtime.runUntilIdle();
        assertEquals(List.of(11L), stateMachine.applied);
    }

    @Test
    void submit_noOpAndConfiguration_advanceIndexWithoutApplying() {
        applier.start(0, 0, null);
        ClusterConfig config = ClusterConfig.ofVoters(Map.of(NodeId.of("n1"), URI.create("test://n1")));
        apply(LogEntry.noOp(1, 1), LogEntry.configuration(2, 1, config), cmd(3, 1));
        runtime.runUntilIdle();
        assertEquals(List.of(3L), stateMachine.applied);
        assertEquals(3, applier.appliedIndex());
    }

    @Test
    void submit_matchingProposal_completesWithIndexTermAndResult() throws Exception {
        applier.start(0, 0, null);
        PendingProposal p = appended(1, 4);
        apply(cmd(1, 4));
        runtime.runUntilIdle();
        assertEquals(new ProposalResult(1, 4, Bytes.ofUtf8("r1")), p.future.get());
        assertEquals(0, pending.appendedCount());
    }

    @Test
    void submit_otherTermCommittedAtProposalIndex_failsRetrySafe() {
        applier.start(0, 0, null);
        PendingProposal p = appended(1, 3);
        apply(cmd(1, 5));
        runtime.runUntilIdle();
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, p.future::get);
        ProposalDroppedException dropped = assertInstanceOf(ProposalDroppedException.class, e.getCause());
        assertTrue(dropped.isRetrySafe());
        assertEquals(List.of(1L), stateMachine.applied, "the winning entry is still applied");
    }

    @Test
    void submit_read_waitsUntilAppliedReachesReadIndex() throws Exception {
        applier.start(0, 0, null);
        PendingRead r = new PendingRead(1, Bytes.ofUtf8("q"));
        r.readIndex = 3;
        r.confirmed = true;
        pending.addRead(r);
        applier.submit(new ApplyBatch(List.of(cmd(1, 1), cmd(2, 1)), List.of(r)));
        runtime.runUntilIdle();
        assertFalse(r.future.isDone(), "read index 3 not applied yet");
        apply(cmd(3, 1), cmd(4, 1));
        runtime.runUntilIdle();
        assertEquals("applied=4", r.future.get().utf8(), "served after the entries of its apply batch");
        assertEquals(0, pending.readCount());
    }

    @Test
    void submit_applyThrows_haltsAndReportsFailure() {
        applier.start(0, 0, null);
        stateMachine.failAt = 2;
        apply(cmd(1, 1), cmd(2, 1), cmd(3, 1));
        apply(cmd(4, 1));
        runtime.runUntilIdle();
        assertEquals(List.of(1L), stateMachine.applied);
        assertEquals(1, callbacks.failures.size());
        assertInstanceOf(IllegalStateException.class, callbacks.failures.get(0));
    }

    @Test
    void submit_gapInCommittedEntries_failsInsteadOfSkipping() {
        applier.start(0, 0, null);
        apply(cmd(1, 1), cmd(3, 1));
        runtime.runUntilIdle();
        assertEquals(List.of(1L), stateMachine.applied);
        assertEquals(1, callbacks.failures.size());
    }
}
