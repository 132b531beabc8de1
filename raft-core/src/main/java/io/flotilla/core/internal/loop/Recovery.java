package io.flotilla.core.internal.loop;

import io.flotilla.ClusterConfig;
import io.flotilla.EntryKind;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.SnapshotMeta;
import io.flotilla.core.internal.protocol.InitialState;
import io.flotilla.core.internal.snapshot.LogicalChain;
import io.flotilla.spi.CorruptedStoreException;
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
        long snapshotIndex = 0;
        long snapshotTerm = 0;
        Optional<ClusterConfig> snapshotConfig = Optional.empty();
        int storedDeltas = 0;
        Optional<SnapshotReader> reader = storage.snapshots().openLatest();
        if (reader.isPresent()) {
            try (LogicalChain chain = LogicalChain.open(reader.get())) {
                stateMachine.restore(chain);
                snapshotIndex = chain.meta().lastIncludedIndex();
                snapshotTerm = chain.meta().lastIncludedTerm();
                snapshotConfig = Optional.of(chain.meta().config());
                storedDeltas = chain.storedPartCount() - 1;
            }
        }
        LogStore log = storage.log();
        reconcile(log, snapshotIndex, snapshotTerm);
        long lastIndex = log.lastIndex();
        Optional<ClusterConfig> fromSnapshot = snapshotConfig;
        ClusterConfig config = latestLoggedConfig(log, Math.max(log.firstIndex(), snapshotIndex + 1), lastIndex)
                .or(() -> fromSnapshot)
                .orElse(bootstrap);
        InitialState initial = new InitialState(hardState, config, snapshotIndex, snapshotTerm, snapshotIndex);
        return new Recovered(initial, lastIndex, snapshotConfig.orElse(bootstrap), storedDeltas);
    }

    /**
     * Restart = latest snapshot + the log after it (§7). A crash between a follower's snapshot install and the
     * reset of its log leaves a log that does not continue the snapshot (too short, or another term at the
     * snapshot's index): that log is discarded here, as the install would have. A log that starts after the
     * snapshot has lost entries: the store is corrupt.
     */
    static void reconcile(LogStore log, long snapshotIndex, long snapshotTerm) throws IOException {
        if (snapshotIndex == 0) {
            return;
        }
        long first = log.firstIndex();
        long last = log.lastIndex();
        if (first > snapshotIndex + 1) {
            throw new CorruptedStoreException("log", -1, "the log starts at " + first + " but the latest snapshot"
                    + " ends at " + snapshotIndex + ": entries " + (snapshotIndex + 1) + ".." + (first - 1)
                    + " are missing");
        }
        boolean continues = first == snapshotIndex + 1
                || (last >= snapshotIndex && log.term(snapshotIndex) == snapshotTerm);
        if (!continues) {
            // Suffix first, then the prefix: compacting through the last index empties the log (see Persister).
            if (last > snapshotIndex) {
                log.truncateSuffix(snapshotIndex + 1);
            }
            log.compactPrefix(snapshotIndex);
        }
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
     * @param snapshotConfig the configuration at the snapshot index (the bootstrap one without a snapshot)
     * @param storedDeltas how many deltas the stored snapshot chain has on its base
     */
    record Recovered(InitialState initial, long lastIndex, ClusterConfig snapshotConfig, int storedDeltas) {}
}
