package io.flotilla.testkit;

import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.SnapshotMeta;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.Capability;
import io.flotilla.spi.LogStore;
import io.flotilla.spi.MessageHandler;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.spi.StateStore;
import io.flotilla.spi.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Decorators that forward every call; the broken backends of {@link ContractTeethTest} override one or two. */
final class Forwarding {
    private Forwarding() {}

    static class Log implements LogStore {
        final LogStore d;

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
        }

        @Override
        public void truncateSuffix(long fromIndex) throws IOException {
            d.truncateSuffix(fromIndex);
        }

        @Override
        public void compactPrefix(long throughIndex) throws IOException {
            d.compactPrefix(throughIndex);
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

    static class State implements StateStore {
        final StateStore d;

        State(StateStore d) {
            this.d = d;
        }

        @Override
        public HardState load() throws IOException {
            return d.load();
        }

        @Override
        public void save(HardState state) throws IOException {
            d.save(state);
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

    static class Snapshots implements SnapshotStore {
        final SnapshotStore d;

        Snapshots(SnapshotStore d) {
            this.d = d;
        }

        @Override
        public Optional<SnapshotMeta> latest() throws IOException {
            return d.latest();
        }

        @Override
        public SnapshotWriter create(SnapshotMeta meta, SnapshotKind kind) throws IOException {
            return d.create(meta, kind);
        }

        @Override
        public Optional<SnapshotReader> openLatest() throws IOException {
            return d.openLatest();
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

    static class Writer implements SnapshotWriter {
        final SnapshotWriter d;

        Writer(SnapshotWriter d) {
            this.d = d;
        }

        @Override
        public SnapshotMeta meta() {
            return d.meta();
        }

        @Override
        public OutputStream output() {
            return d.output();
        }

        @Override
        public void commit() throws IOException {
            d.commit();
        }

        @Override
        public void close() throws IOException {
            d.close();
        }
    }

    static class Net implements Transport {
        final Transport d;

        Net(Transport d) {
            this.d = d;
        }

        @Override
        public void start(MessageHandler handler) throws IOException {
            d.start(handler);
        }

        @Override
        public URI localAddress() {
            return d.localAddress();
        }

        @Override
        public void send(RaftMessage message) {
            d.send(message);
        }

        @Override
        public void updatePeers(Map<io.flotilla.NodeId, URI> peers) {
            d.updatePeers(peers);
        }

        @Override
        public void close() {
            d.close();
        }
    }
}
