package io.flotilla.core.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.IndeterminateStateException;
import io.flotilla.NodeId;
import io.flotilla.NotLeaderException;
import io.flotilla.RaftConfig;
import io.flotilla.RaftStoppedException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class PendingOpsTest {
    private final PendingOps ops = new PendingOps(RaftConfig.newBuilder().maxPendingProposals(2).build());

    private static Throwable failure(CompletableFuture<?> f) {
        return assertThrows(ExecutionException.class, f::get).getCause();
    }

    private PendingProposal appended(long index) {
        PendingProposal p = new PendingProposal(Bytes.EMPTY);
        p.index = index;
        p.term = 1;
        ops.appended(p);
        return p;
    }

    @Test
    void offer_beyondMaxPendingProposals_isRefused() {
        assertTrue(ops.offer(new PendingProposal(Bytes.EMPTY)));
        assertTrue(ops.offer(new PendingProposal(Bytes.EMPTY)));
        assertFalse(ops.offer(new PendingProposal(Bytes.EMPTY)));
        ops.pollQueued();
        assertTrue(ops.offer(new PendingProposal(Bytes.EMPTY)), "room again once the loop took one");
        assertEquals(2, ops.queuedCount());
    }

    @Test
    void failAppendedAbove_leavesCommittedOnesToTheApplier() {
        PendingProposal committed = appended(5);
        PendingProposal uncommitted = appended(6);
        ops.failAppendedAbove(5, i -> new IndeterminateStateException("lost", i, null));
        assertFalse(committed.future.isDone());
        IndeterminateStateException e = assertInstanceOf(IndeterminateStateException.class, failure(uncommitted.future));
        assertEquals(6, e.logIndex());
        assertFalse(e.isRetrySafe());
    }

    @Test
    void failUnconfirmedReads_keepsConfirmedReads() {
        PendingRead confirmed = new PendingRead(1, Bytes.EMPTY);
        confirmed.confirmed = true;
        PendingRead waiting = new PendingRead(2, Bytes.EMPTY);
        ops.addRead(confirmed);
        ops.addRead(waiting);
        ops.failUnconfirmedReads(() -> new NotLeaderException(NodeId.of("n1"), Optional.empty()));
        assertFalse(confirmed.future.isDone());
        assertInstanceOf(NotLeaderException.class, failure(waiting.future));
    }

    @Test
    void failAll_queuedAreStoppedAndAppendedAreIndeterminate() {
        PendingProposal queued = new PendingProposal(Bytes.EMPTY);
        ops.offer(queued);
        PendingProposal app = appended(3);
        PendingRead read = new PendingRead(7, Bytes.EMPTY);
        ops.addRead(read);
        ops.failAll(() -> new RaftStoppedException("closed"), "closed", null);
        assertInstanceOf(RaftStoppedException.class, failure(queued.future));
        assertInstanceOf(IndeterminateStateException.class, failure(app.future));
        assertInstanceOf(RaftStoppedException.class, failure(read.future));
        assertEquals(0, ops.queuedCount() + ops.appendedCount() + ops.readCount());
    }
}
