package io.flotilla.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.flotilla.ClusterId;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.LogStore;
import io.flotilla.spi.MessageHandler;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.spi.StateStore;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.testkit.mem.MemNetwork;
import io.flotilla.testkit.mem.MemStorage;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Proves the contracts have teeth: each deliberately broken backend below is run through its contract with the
 * JUnit Platform Launcher, and the run must fail, in the test that targets the bug; the in-memory reference
 * backends must pass the same suites. (The nested suites are not run by Surefire directly: nested classes are
 * excluded from its scan and are not {@code @Nested}.)
 */
class ContractTeethTest {

    /** Runs one suite class and returns its summary and the names of failed tests. */
    private record Result(TestExecutionSummary summary, Set<String> failed) {}

    private static Result run(Class<?> suite) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite)).build(), listener);
        TestExecutionSummary s = listener.getSummary();
        Set<String> failed = s.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName().replace("()", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        return new Result(s, failed);
    }

    static void assertCaught(Class<?> broken, String... expectedFailures) {
        Result r = run(broken);
        assertTrue(r.summary().getTestsFoundCount() >= 5, "suite not discovered: " + broken);
        assertTrue(r.summary().getTotalFailureCount() > 0,
                broken.getSimpleName() + " passed its contract although it is broken");
        for (String name : expectedFailures) {
            assertTrue(r.failed().contains(name), broken.getSimpleName() + ": expected " + name
                    + " to fail; failed were " + r.failed());
        }
        System.out.println("[teeth] " + broken.getSimpleName() + " caught by " + r.failed());
    }

    static void assertPasses(Class<?> reference) {
        Result r = run(reference);
        assertTrue(r.summary().getTestsFoundCount() >= 5, "suite not discovered: " + reference);
        assertEquals(0, r.summary().getTotalFailureCount(), () -> reference.getSimpleName() + " failed " + r.failed()
                + ": " + r.summary().getFailures().stream().map(f -> String.valueOf(f.getException()))
                        .collect(Collectors.joining("; ")));
        assertEquals(0, r.summary().getTestsAbortedCount(), reference.getSimpleName() + " aborted tests");
    }

    // ---------------------------------------------------------------- the suites run through the launcher

    /** Mem data keyed by directory. */
    static final class Dirs {
        private final Map<Path, MemStorage> byDir = new HashMap<>();

        synchronized MemStorage open(Path dir) {
            return byDir.compute(dir, (k, v) -> v == null ? MemStorage.create(NodeId.of("n1")) : v.reopen());
        }

        synchronized boolean known(Path dir) {
            return byDir.containsKey(dir);
        }

        synchronized MemStorage current(Path dir) {
            return byDir.get(dir);
        }
    }

    static class ReferenceLog extends LogStoreContract {
        final Dirs dirs = new Dirs();

        @Override
        protected Duration concurrentReadDuration() {
            return Duration.ofMillis(300);
        }

        @Override
        protected LogStore openLog(Path dir) throws IOException {
            return dirs.open(dir).log();
        }
    }

    /** compactPrefix(i) discards entry i + 1 too. */
    static class OffByOneCompaction extends ReferenceLog {
        @Override
        protected LogStore openLog(Path dir) throws IOException {
            return new Forwarding.Log(super.openLog(dir)) {
                @Override
                public void compactPrefix(long throughIndex) throws IOException {
                    d.compactPrefix(throughIndex + 1);
                }
            };
        }
    }

    /** The last appended entry is lost when the store is reopened (a missing flush). */
    static class LostWriteOnReopen extends ReferenceLog {
        @Override
        protected LogStore openLog(Path dir) throws IOException {
            boolean reopening = dirs.known(dir);
            LogStore s = super.openLog(dir);
            if (reopening && s.lastIndex() >= s.firstIndex()) {
                s.truncateSuffix(s.lastIndex());
            }
            return s;
        }
    }

    /** truncateSuffix(i) keeps the stale entry at i. */
    static class StaleEntryAfterTruncation extends ReferenceLog {
        @Override
        protected LogStore openLog(Path dir) throws IOException {
            return new Forwarding.Log(super.openLog(dir)) {
                @Override
                public void truncateSuffix(long fromIndex) throws IOException {
                    d.truncateSuffix(fromIndex <= d.lastIndex() ? fromIndex + 1 : fromIndex);
                }
            };
        }
    }

    /** entries() ignores the byte budget. */
    static class IgnoresByteBudget extends ReferenceLog {
        @Override
        protected LogStore openLog(Path dir) throws IOException {
            return new Forwarding.Log(super.openLog(dir)) {
                @Override
                public List<LogEntry> entries(long fromIndex, long toIndex, long maxBytes) throws IOException {
                    return d.entries(fromIndex, toIndex, Long.MAX_VALUE);
                }
            };
        }
    }

    /** entries() returns a live view of an internal list instead of a snapshot. */
    static class LiveViewEntries extends ReferenceLog {
        @Override
        protected LogStore openLog(Path dir) throws IOException {
            LogStore real = super.openLog(dir);
            List<LogEntry> mirror = new ArrayList<>(); // index i at position i - 1; compacted slots hold null
            for (long i = 1; i <= real.lastIndex(); i++) {
                mirror.add(i < real.firstIndex() ? null : real.entries(i, i + 1, Long.MAX_VALUE).get(0));
            }
            return new Forwarding.Log(real) {
                @Override
                public List<LogEntry> entries(long fromIndex, long toIndex, long maxBytes) throws IOException {
                    int n = d.entries(fromIndex, toIndex, maxBytes).size();
                    return mirror.subList((int) fromIndex - 1, (int) fromIndex - 1 + n);
                }

                @Override
                public void append(List<LogEntry> entries) throws IOException {
                    d.append(entries);
                    while (mirror.size() < d.lastIndex() - entries.size()) {
                        mirror.add(null); // the log was reset by compactPrefix beyond its end
                    }
                    mirror.addAll(entries);
                }

                @Override
                public void truncateSuffix(long fromIndex) throws IOException {
                    d.truncateSuffix(fromIndex);
                    while (mirror.size() >= fromIndex) {
                        mirror.remove(mirror.size() - 1);
                    }
                }
            };
        }
    }

    static class ReferenceState extends StateStoreContract {
        final Dirs dirs = new Dirs();

        @Override
        protected StateStore openState(Path dir) {
            return dirs.open(dir).state();
        }
    }

    /** Each save makes only the previous save durable: the last one is lost on reopen. */
    static class LosesLastSave extends ReferenceState {
        @Override
        protected StateStore openState(Path dir) {
            return new Forwarding.State(super.openState(dir)) {
                private HardState latest;

                @Override
                public HardState load() throws IOException {
                    return latest != null ? latest : d.load();
                }

                @Override
                public void save(HardState state) throws IOException {
                    if (latest != null) {
                        d.save(latest);
                    }
                    latest = state;
                }
            };
        }
    }

    /** Persists only the term: the vote lives in memory and is gone after a reopen (a node could vote twice). */
    static class DropsVoteOnReopen extends ReferenceState {
        @Override
        protected StateStore openState(Path dir) {
            return new Forwarding.State(super.openState(dir)) {
                private HardState unsaved;

                @Override
                public HardState load() throws IOException {
                    return unsaved != null ? unsaved : d.load();
                }

                @Override
                public void save(HardState state) throws IOException {
                    d.save(HardState.of(state.term()));
                    unsaved = state;
                }
            };
        }
    }

    /**
     * Only the first save of each open store lands in a readable copy; after a later save {@code load} finds none
     * and falls back to {@link HardState#INITIAL} instead of throwing (the broken A/B-slot write the
     * {@link StateStore} Javadoc forbids).
     */
    static class FallsBackToInitialAfterLaterSave extends ReferenceState {
        @Override
        protected StateStore openState(Path dir) {
            return new Forwarding.State(super.openState(dir)) {
                private int saves;

                @Override
                public void save(HardState state) throws IOException {
                    saves++;
                    d.save(saves == 1 ? state : HardState.INITIAL);
                }
            };
        }
    }

    static class ReferenceSnapshots extends SnapshotStoreContract {
        final Dirs dirs = new Dirs();

        @Override
        protected SnapshotStore openSnapshots(Path dir) {
            return dirs.open(dir).snapshots();
        }

        @Override
        protected long largeSnapshotBytes() {
            return 8L << 20;
        }

        @Override
        protected Optional<Closeable> failCommits(SnapshotStore store, Path dir) {
            MemStorage storage = dirs.current(dir);
            storage.setFull(true);
            return Optional.of(() -> storage.setFull(false));
        }

        @Override
        protected boolean corruptPart(SnapshotStore store, Path dir, int part) {
            dirs.current(dir).damageSnapshotPart(part, 1234);
            return true;
        }
    }

    /** A writer closed without commit publishes its partial data anyway. */
    static class UncommittedSnapshotVisible extends ReferenceSnapshots {
        @Override
        protected SnapshotStore openSnapshots(Path dir) {
            return new Forwarding.Snapshots(super.openSnapshots(dir)) {
                @Override
                public SnapshotWriter create(SnapshotMeta meta, SnapshotKind kind) throws IOException {
                    return new Forwarding.Writer(d.create(meta, kind)) {
                        private boolean committed;

                        @Override
                        public void commit() throws IOException {
                            committed = true;
                            d.commit();
                        }

                        @Override
                        public void close() throws IOException {
                            if (!committed) {
                                committed = true;
                                d.commit();
                            }
                            d.close();
                        }
                    };
                }
            };
        }
    }

    /** openLatest() returns the deltas before their base. */
    static class ChainOutOfOrder extends ReferenceSnapshots {
        @Override
        protected SnapshotStore openSnapshots(Path dir) {
            return new Forwarding.Snapshots(super.openSnapshots(dir)) {
                @Override
                public Optional<SnapshotReader> openLatest() throws IOException {
                    Optional<SnapshotReader> r = d.openLatest();
                    if (r.isEmpty()) {
                        return r;
                    }
                    SnapshotReader real = r.get();
                    List<SnapshotPart> reversed = new ArrayList<>(real.parts());
                    Collections.reverse(reversed);
                    return Optional.of(new SnapshotReader() {
                        @Override
                        public SnapshotMeta meta() {
                            return real.meta();
                        }

                        @Override
                        public List<SnapshotPart> parts() {
                            return reversed;
                        }

                        @Override
                        public void close() throws IOException {
                            real.close();
                        }
                    });
                }
            };
        }
    }

    static class ReferenceTransport extends TransportContract {
        final MemNetwork network = MemNetwork.create();

        @Override
        protected URI listenAddress(NodeId node) {
            return URI.create("mem://" + node.value());
        }

        @Override
        protected Transport create(URI listenAddress, TransportContext context) {
            return network.transport(context.clusterId(), context.self());
        }

        @AfterEach
        void closeNetwork() {
            network.close();
        }
    }

    /** Neither stamps nor checks the cluster id. */
    static class DeliversForeignCluster extends ReferenceTransport {
        @Override
        protected Transport create(URI listenAddress, TransportContext context) {
            return network.transport(ClusterId.of("whatever"), context.self());
        }
    }

    /** send throws when the transport is not started (or closed). */
    static class SendThrows extends ReferenceTransport {
        @Override
        protected Transport create(URI listenAddress, TransportContext context) {
            return new Forwarding.Net(super.create(listenAddress, context)) {
                private volatile boolean open;

                @Override
                public void start(MessageHandler handler) throws IOException {
                    d.start(handler);
                    open = true;
                }

                @Override
                public void send(RaftMessage message) {
                    if (!open) {
                        throw new IllegalStateException("transport is not running");
                    }
                    d.send(message);
                }

                @Override
                public void close() {
                    open = false;
                    d.close();
                }
            };
        }
    }

    private static final List<Thread> LEAKED = new CopyOnWriteArrayList<>();

    /** Starts a worker thread per transport and never stops it. */
    static class LeaksThreads extends ReferenceTransport {
        @Override
        protected Duration deliveryTimeout() {
            return Duration.ofSeconds(2);
        }

        @Override
        protected Transport create(URI listenAddress, TransportContext context) {
            return new Forwarding.Net(super.create(listenAddress, context)) {
                @Override
                public void start(MessageHandler handler) throws IOException {
                    Thread worker = new Thread(() -> {
                        try {
                            new CountDownLatch(1).await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "leaky-transport-worker");
                    worker.setDaemon(true);
                    worker.start();
                    LEAKED.add(worker);
                    d.start(handler);
                }
            };
        }
    }

    @AfterAll
    static void stopLeakedThreads() {
        LEAKED.forEach(Thread::interrupt);
    }

    // ---------------------------------------------------------------- the proofs

    @Test
    public void logContract_catchesOffByOneCompaction() {
        assertCaught(OffByOneCompaction.class, "compactPrefix_readsBelowThrowLogCompacted_andTheRestIsIntact",
                "randomOperations_matchModel");
    }

    @Test
    public void logContract_catchesLostWriteOnReopen() {
        assertCaught(LostWriteOnReopen.class, "reopen_keepsEveryReturnedWrite", "randomOperations_matchModel");
    }

    @Test
    public void logContract_catchesStaleEntryAfterTruncation() {
        assertCaught(StaleEntryAfterTruncation.class, "truncateSuffix_removesTheTail_andAppendOverwrites",
                "randomOperations_matchModel");
    }

    @Test
    public void logContract_catchesIgnoredByteBudget() {
        assertCaught(IgnoresByteBudget.class, "entries_overBudget_returnAtLeastOneAndStopAtTheBudget",
                "randomOperations_matchModel");
    }

    @Test
    public void logContract_catchesLiveViewEntries() {
        assertCaught(LiveViewEntries.class, "entries_returnedList_isNotAffectedByLaterWrites");
    }

    @Test
    public void stateContract_catchesLostLastSave() {
        assertCaught(LosesLastSave.class, "save_isDurableAcrossReopen", "manySaves_thenReopen_returnsTheLastOne");
    }

    @Test
    public void stateContract_catchesVoteDroppedOnReopen() {
        assertCaught(DropsVoteOnReopen.class, "save_isDurableAcrossReopen", "manySaves_thenReopen_returnsTheLastOne");
    }

    @Test
    public void stateContract_catchesFallbackToInitialAfterALaterSave() {
        assertCaught(FallsBackToInitialAfterLaterSave.class, "save_thenLoad_returnsTheSavedState",
                "manySaves_thenReopen_returnsTheLastOne");
    }

    @Test
    public void snapshotContract_catchesVisibleUncommittedWrite() {
        assertCaught(UncommittedSnapshotVisible.class,
                "uncommittedWrite_isInvisible_andClosingWithoutCommitKeepsThePrevious");
    }

    @Test
    public void transportContract_catchesForeignClusterDelivery() {
        assertCaught(DeliversForeignCluster.class, "foreignCluster_isNeverDelivered");
    }

    @Test
    public void transportContract_catchesThrowingSend() {
        assertCaught(SendThrows.class, "send_neverThrows_beforeStartAfterCloseOrToUnknownPeers");
    }

    @Test
    public void snapshotContract_catchesChainOutOfOrder() {
        assertCaught(ChainOutOfOrder.class, "deltas_chainOnTheBase_inOrder_andANewFullStartsANewChain");
    }

    @Test
    public void transportContract_catchesLeakedThreads() {
        assertCaught(LeaksThreads.class, "close_releasesThreadsAndTheListenAddress");
    }

    @Test
    public void referenceBackends_passTheSameSuitesThroughTheLauncher() {
        assertPasses(ReferenceLog.class);
        assertPasses(ReferenceState.class);
        assertPasses(ReferenceSnapshots.class);
        assertPasses(ReferenceTransport.class);
    }
}
