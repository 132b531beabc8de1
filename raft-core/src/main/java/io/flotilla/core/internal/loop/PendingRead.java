package io.flotilla.core.internal.loop;

import io.flotilla.Bytes;
import java.util.concurrent.CompletableFuture;

/**
 * One linearizable read waiting for its read index (thesis §6.4) and then for the state machine to reach it.
 */
final class PendingRead {
    final long readId;
    final Bytes query;
    final CompletableFuture<Bytes> future = new CompletableFuture<>();
    // Set on the loop when the protocol confirms the read; the read is then handed to the applier.
    volatile boolean confirmed;
    volatile long readIndex;

    PendingRead(long readId, Bytes query) {
        this.readId = readId;
        this.query = query;
    }
}
