package io.flotilla.core.internal.loop;

import io.flotilla.core.internal.protocol.RaftProtocol;
import io.flotilla.message.RaftMessage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the snapshot machinery needs from its node: a way back onto the event loop, the protocol (loop thread only)
 * and the transport. Built by {@link EventLoopRaftNode}.
 *
 * @param poster runs a task on the event loop, if the node still runs; any thread
 * @param protocolRef the protocol core; read on the loop thread only
 * @param sender sends a message; never blocks or throws; any thread
 */
record SnapshotHost(Consumer<Runnable> poster, Supplier<RaftProtocol> protocolRef, Consumer<RaftMessage> sender) {
    void post(Runnable task) {
        poster.accept(task);
    }

    RaftProtocol protocol() {
        return protocolRef.get();
    }

    void send(RaftMessage m) {
        sender.accept(m);
    }
}
