package io.flotilla.core.internal.loop;

import io.flotilla.core.internal.protocol.RaftProtocol;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.StorageFullException;
import java.io.IOException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the snapshot machinery needs from its node: a way back onto the event loop, the protocol (loop thread only)
 * and the transport. Built by {@link EventLoopRaftNode}.
 *
 * @param poster runs a task on the event loop, if the node still runs; any thread
 * @param protocolRef the protocol core; read on the loop thread only
 * @param sender sends a message; never blocks or throws; any thread
 * @param failer moves the node to FAILED (a snapshot write failed: never retried); any thread
 */
record SnapshotHost(Consumer<Runnable> poster, Supplier<RaftProtocol> protocolRef, Consumer<RaftMessage> sender,
        BiConsumer<String, Throwable> failer) {
    void post(Runnable task) {
        poster.accept(task);
    }

    RaftProtocol protocol() {
        return protocolRef.get();
    }

    void send(RaftMessage m) {
        sender.accept(m);
    }

    /**
     * Reports a snapshot I/O failure. A full disk ({@link StorageFullException}) or a refused index leaves the
     * previous snapshot in force and is retried later; any other {@link IOException} from the store may have lost
     * data under a failed {@code fsync}, so the node stops, as for the log (never retried).
     *
     * @param what what was being done
     * @param t the failure
     * @return whether the node was failed
     */
    boolean failIfFatal(String what, Throwable t) {
        if (t instanceof IOException && !(t instanceof StorageFullException)) {
            failer.accept(what, t);
            return true;
        }
        return false;
    }
}
