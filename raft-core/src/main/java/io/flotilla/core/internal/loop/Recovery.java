package io.flotilla.core.internal.loop;

import io.flotilla.ClusterConfig;
import io.flotilla.EntryKind;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.SnapshotMeta;
import io.flotilla.core.internal.protocol.InitialState;
import io.flotilla.spi.LogStore;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.StateMachine;
import io.flotilla.spi.Storage;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Rebuilds a node's starting point from its stores: the hard state, the configuration in force and the state
 * machine's content.
 *
 * <p>The configuration is the latest {@link EntryKind#CONFIGURATION} entry in the log (in force from the moment
 * it was appended, thesis §4.1), found by scanning back from the last index; else the latest snapshot's; else the
 * bootstrap configuration. If a snapshot exists the state machine is restored from it and starts at its index.
 *
 * <p><b>Blocking:</b> reads storage; runs on the thread that calls {@code RaftNode.start()}, before the node's
 * pipelines run. <b>Failure:</b> any exception is returned to the caller, which fails the node.
 */
final class Recovery {
    private static final int SCAN_CHUNK = 256;
    private static final long SCAN_BYTES = 4L << 20;

    private Recovery() {}

    /**
     * @param storage the stores
     * @param stateMachine restored from the latest snapshot, if any
     * @param bootstrap the configuration used when storage holds none
     * @return the recovered state and the stored last index
     * @throws IOException if a store failed or holds corrupt data
     */
    static Recovered recover(Storage storage, StateMachine stateMachine, ClusterConfig bootstrap) throws IOException {
        HardState hardState = storage.state().load();
        Optional<SnapshotMeta> snapshot = storage.snapshots().latest();
        long snapshotIndex = 0;
        long snapshotTerm = 0;
        if (snapshot.isPresent()) {
            Optional<SnapshotReader> reader = storage.snapshots().openLatest();
            if (reader.isEmpty()) {
                throw new IOException("snapshot store reports a latest snapshot but cannot open it");
            }
            try (SnapshotReader r = reader.get()) {
                stateMachine.restore(r);
                snapshotIndex = r.meta().lastIncludedIndex();
                snapshotTerm = r.meta().lastIncludedTerm();
                snapshot = Optional.of(r.meta());
            }
        }
        LogStore log = storage.log();
        long lastIndex = log.lastIndex();
        Optional<ClusterConfig> snapshotConfig = snapshot.map(SnapshotMeta::config);
        ClusterConfig config = latestLoggedConfig(log, Math.max(log.firstIndex(), snapshotIndex + 1), lastIndex)
                .or(() -> snapshotConfig)
                .orElse(bootstrap);
        InitialState initial = new InitialState(hardState, config, snapshotIndex, snapshotTerm, snapshotIndex);
        return new Recovered(initial, lastIndex);
    }

    /** Scans {@code [from, to]} backwards for the last configuration entry. */
    static Optional<ClusterConfig> latestLoggedConfig(LogStore log, long from, long to) throws IOException {
        long hi = to;
        while (hi >= from) {
            long lo = Math.max(from, hi - SCAN_CHUNK + 1);
            long end = hi + 1;
            // entries() may stop early on its byte budget: read forward until the chunk is complete.
            List<LogEntry> chunk = new java.util.ArrayList<>();
            long next = lo;
            while (next < end) {
                List<LogEntry> part = log.entries(next, end, SCAN_BYTES);
                chunk.addAll(part);
                next += part.size();
            }
            for (int i = chunk.size() - 1; i >= 0; i--) {
                LogEntry e = chunk.get(i);
                if (e.kind() == EntryKind.CONFIGURATION) {
                    return Optional.of(ClusterConfig.fromBytes(e.payload()));
                }
            }
            hi = lo - 1;
        }
        return Optional.empty();
    }

    /**
     * @param initial what the protocol resumes from
     * @param lastIndex the log store's last index
     */
    record Recovered(InitialState initial, long lastIndex) {}
}
