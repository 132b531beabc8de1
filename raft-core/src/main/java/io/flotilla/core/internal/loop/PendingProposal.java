package io.flotilla.core.internal.loop;

import io.flotilla.Bytes;
import io.flotilla.ProposalResult;
import java.util.concurrent.CompletableFuture;

/**
 * One proposal waiting for its outcome. Created by the caller's thread; {@link #index} and {@link #term} are set
 * by the event loop when the protocol appends it, before it is published in {@link PendingOps#appended}.
 */
final class PendingProposal {
    final Bytes command;
    final CompletableFuture<ProposalResult> future = new CompletableFuture<>();
    // Written once on the loop before the proposal is put in the (concurrent) appended map; read after get().
    long index;
    long term;

    PendingProposal(Bytes command) {
        this.command = command;
    }
}
