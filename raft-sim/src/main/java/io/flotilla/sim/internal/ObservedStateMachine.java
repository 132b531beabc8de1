package io.flotilla.sim.internal;

import io.flotilla.Bytes;
import io.flotilla.NodeId;
import io.flotilla.spi.SnapshotImage;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.StateMachine;
import java.io.IOException;
import java.util.Optional;

/**
 * A {@link StateMachine} decorator that reports every application (index, command hash, resulting state digest)
 * to the {@link SafetyMonitor} for the State Machine Safety check. Confined to the simulation thread.
 */
final class ObservedStateMachine implements StateMachine {
    private final KvStateMachine delegate;
    private final NodeId node;
    private final SafetyMonitor monitor;
    private final Counters counters;

    ObservedStateMachine(KvStateMachine delegate, NodeId node, SafetyMonitor monitor, Counters counters) {
        this.delegate = delegate;
        this.node = node;
        this.monitor = monitor;
        this.counters = counters;
    }

    KvStateMachine delegate() {
        return delegate;
    }

    @Override
    public Bytes apply(long logIndex, Bytes command) {
        Bytes result = delegate.apply(logIndex, command);
        counters.applied++;
        monitor.onApplied(node, logIndex, Hashing.hash(command), delegate.digest());
        return result;
    }

    @Override
    public Bytes query(Bytes query) {
        return delegate.query(query);
    }

    @Override
    public SnapshotImage prepareSnapshot(long lastAppliedIndex) {
        return delegate.prepareSnapshot(lastAppliedIndex);
    }

    @Override
    public Optional<SnapshotImage> prepareDelta(long lastAppliedIndex, long previousSnapshotIndex) {
        return delegate.prepareDelta(lastAppliedIndex, previousSnapshotIndex);
    }

    @Override
    public void restore(SnapshotReader snapshot) throws IOException {
        delegate.restore(snapshot);
        counters.restores++;
    }
}
