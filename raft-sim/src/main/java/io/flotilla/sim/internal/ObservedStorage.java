package io.flotilla.sim.internal;

import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.spi.Capability;
import io.flotilla.spi.LogStore;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.StateStore;
import io.flotilla.spi.Storage;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * A {@link Storage} decorator that reports every write to the {@link SafetyMonitor} once the delegate's call
 * has returned, i.e. once it is durable. Reads pass through. Confined to the simulation thread.
 */
final class ObservedStorage implements Storage {
    private final Storage delegate;
    private final NodeId node;
    private final SafetyMonitor monitor;
    private final Counters counters;
    private final LogStore log;
    private final StateStore state;

    ObservedStorage(Storage delegate, NodeId node, SafetyMonitor monitor, Counters counters) {
        this.delegate = delegate;
        this.node = node;
        this.monitor = monitor;
        this.counters = counters;
        this.log = new Log(delegate.log());
        this.state = new State(delegate.state());
    }

    /** @return the wrapped storage */
    Storage delegate() {
        return delegate;
    }

    @Override
    public LogStore log() {
        return log;
    }

    @Override
    public StateStore state() {
        return state;
    }

    @Override
    public SnapshotStore snapshots() {
        return delegate.snapshots();
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    private final class Log implements LogStore {
        private final LogStore d;

        Log(LogStore d) {
            this.d = d;
        }

        @Override
        public long firstIndex() throws IOException {
            return d.firstIndex();
        }

        @Override
        public long lastIndex() throws IOException {
            return d.lastIndex();
        }

        @Override
        public long term(long index) throws IOException {
            return d.term(index);
        }

        @Override
        public List<LogEntry> entries(long fromIndex, long toIndex, long maxBytes) throws IOException {
            return d.entries(fromIndex, toIndex, maxBytes);
        }

        @Override
        public void append(List<LogEntry> entries) throws IOException {
            d.append(entries);
            counters.appends++;
            monitor.onAppended(node, entries);
        }

        @Override
        public void truncateSuffix(long fromIndex) throws IOException {
            d.truncateSuffix(fromIndex);
            monitor.onTruncated(node, fromIndex);
        }

        @Override
        public void compactPrefix(long throughIndex) throws IOException {
            d.compactPrefix(throughIndex);
            monitor.onCompacted(node, throughIndex);
        }

        @Override
        public Set<Capability> capabilities() {
            return d.capabilities();
        }

        @Override
        public void close() throws IOException {
            d.close();
        }
    }

    private final class State implements StateStore {
        private final StateStore d;

        State(StateStore d) {
            this.d = d;
        }

        @Override
        public HardState load() throws IOException {
            HardState hs = d.load();
            monitor.onHardStateLoaded(node, hs);
            return hs;
        }

        @Override
        public void save(HardState hs) throws IOException {
            d.save(hs);
            monitor.onHardStateSaved(node, hs);
        }

        @Override
        public Set<Capability> capabilities() {
            return d.capabilities();
        }

        @Override
        public void close() throws IOException {
            d.close();
        }
    }
}
