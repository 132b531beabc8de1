package io.flotilla.core.internal.loop;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.IndeterminateStateException;
import io.flotilla.LogEntry;
import io.flotilla.NodeFailedException;
import io.flotilla.NodeId;
import io.flotilla.NotLeaderException;
import io.flotilla.ProposalDroppedException;
import io.flotilla.ProposalResult;
import io.flotilla.RaftConfig;
import io.flotilla.RaftEventListener;
import io.flotilla.RaftException;
import io.flotilla.RaftNode;
import io.flotilla.RaftStatus;
import io.flotilla.RaftStoppedException;
import io.flotilla.Role;
import io.flotilla.SnapshotMeta;
import io.flotilla.core.internal.protocol.ProtocolParams;
import io.flotilla.core.internal.protocol.RaftProtocol;
import io.flotilla.core.internal.protocol.ReadState;
import io.flotilla.core.internal.protocol.Ready;
import io.flotilla.core.internal.protocol.SeededBug;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.StateMachine;
import io.flotilla.spi.Storage;
import io.flotilla.spi.Transport;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RaftNode} of production and simulation: an actor on the runtime's loop executor that drives the
 * {@link RaftProtocol} and carries out each {@link Ready} through the {@link Persister} (storage thread), the
 * {@link Transport} and the {@link Applier} (apply thread).
 *
 * <h2>Event loop</h2>
 * Every input — inbound message, tick, proposal, read, storage completion, applied index — is put on an MPSC inbox
 * and a drain is scheduled on the loop executor if none is. A drain runs every queued input against the protocol,
 * hands all queued proposals to it as one batch, then takes <em>one</em> {@code ready()} and carries it out. So
 * proposals that arrive while the previous batch is being written share one log write and one AppendEntries
 * round: group commit without a timer. The status is republished after each drain.
 *
 * <h2>Failure</h2>
 * A store or state-machine failure moves the node to {@link Role#FAILED} at once (never retried): the pipelines
 * halt, the protocol is not stepped again (no more votes or acknowledgements), pending operations fail
 * ({@link NodeFailedException} before append, {@link IndeterminateStateException} after), the listener hears
 * {@code onFailed}, and every later call fails with {@link NodeFailedException}.
 *
 * <p><b>Threading:</b> public methods are thread-safe and never block, except {@link #start()} (reads storage) and
 * {@link #close()} (waits for the runtime's threads). Protocol state is touched only on the loop executor.
 */
@Singleton
public final class EventLoopRaftNode extends LaterFeatures implements NodeCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoopRaftNode.class);
    private static final int MAX_EVENTS_PER_DRAIN = 4096;

    enum State { NEW, RUNNING, FAILED, STOPPED }

    private final ClusterId clusterId;
    private final NodeId self;
    private final ClusterConfig initialConfig;
    private final RaftConfig config;
    private final StateMachine stateMachine;
    private final Transport transport;
    private final Storage storage;
    private final NodeRuntime runtime;
    private final RaftEventListener listener;
    private final Set<SeededBug> seededBugs;
    private final Persister persister;
    private final Applier applier;
    private final PendingOps pending;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final Object lifecycleLock = new Object();
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong readIds = new AtomicLong();
    private volatile NodeFailedException failure;
    private volatile RaftStatus status;
    private volatile AutoCloseable ticks;

    // Loop-confined (assigned in start() before any loop task can run; executor submission orders the writes).
    private RaftProtocol protocol;
    private long appliedIndex;
    // Invariant: every committed entry up to this index has been handed to the persister/applier.
    private long committedHandedIndex;
    private RaftStatus loopStatus;
    private SnapshotCoordinator snapshots;

    /**
     * Assembles the node; see {@link NodeSpec} for the parameters. Use {@link NodeFactory#create(NodeSpec)}.
     *
     * @param clusterId the cluster
     * @param self this node
     * @param initialConfig bootstrap membership
     * @param config tuning
     * @param stateMachine the application
     * @param transport the transport, unstarted
     * @param storage the stores
     * @param runtime threads, time, randomness
     * @param listener event listener
     * @param seededBugs test-only bugs
     * @param persister storage pipeline
     * @param applier apply pipeline
     * @param pending futures of client operations
     */
    @Inject
    public EventLoopRaftNode(ClusterId clusterId, NodeId self, ClusterConfig initialConfig, RaftConfig config,
            StateMachine stateMachine, Transport transport, Storage storage, NodeRuntime runtime,
            RaftEventListener listener, Set<SeededBug> seededBugs, Persister persister, Applier applier,
            PendingOps pending) {
        this.clusterId = clusterId;
        this.self = self;
        this.initialConfig = initialConfig;
        this.config = config;
        this.stateMachine = stateMachine;
        this.transport = transport;
        this.storage = storage;
        this.runtime = runtime;
        this.listener = listener;
        this.seededBugs = Set.copyOf(seededBugs);
        this.persister = persister;
        this.applier = applier;
        this.pending = pending;
        this.status = new RaftStatus(self, Role.FOLLOWER, 0, Optional.empty(), 0, 0, 0, 0, initialConfig,
                List.of(), Optional.empty());
    }

    @Override
    public NodeId id() {
        return self;
    }

    /** @return the cluster this node belongs to */
    public ClusterId clusterId() {
        return clusterId;
    }

    @Override
    public void start() {
        synchronized (lifecycleLock) {
            State s = state.get();
            if (s == State.RUNNING) {
                return;
            }
            if (s == State.STOPPED) {
                throw new RaftStoppedException("node " + self + " was closed and cannot be restarted");
            }
            if (s == State.FAILED) {
                throw failure;
            }
            Recovery.Recovered recovered;
            try {
                recovered = Recovery.recover(storage, stateMachine, initialConfig);
            } catch (Throwable t) {
                throw fail("recovering from storage", t);
            }
            try {
                protocol = new RaftProtocol(new ProtocolParams(self, config, runtime.random(), seededBugs),
                        new LogStoreStableLog(storage.log()), recovered.initial());
                appliedIndex = recovered.initial().appliedIndex();
                committedHandedIndex = appliedIndex;
                persister.start(recovered.lastIndex());
                applier.start(appliedIndex, recovered.initial().snapshotTerm(), recovered.snapshotConfig());
                snapshots = new SnapshotCoordinator(self, config, storage, stateMachine, applier, runtime,
                        new SnapshotHost(this::post, () -> protocol, this::sendQuietly, this::failed),
                        recovered.initial().snapshotIndex(), recovered.storedDeltas());
                loopStatus = protocol.status(appliedIndex);
                status = loopStatus;
            } catch (Throwable t) {
                throw fail("starting the protocol", t);
            }
            state.set(State.RUNNING);
            try {
                transport.start(this::onMessage);
                transport.updatePeers(peersOf(loopStatus.config()));
            } catch (Throwable t) {
                throw fail("starting the transport", t);
            }
            ticks = runtime.scheduleAtFixedRate(this::onTick, config.tickInterval().toNanos());
            LOG.info("node {} of cluster {} started at term {}, log {}..{}, applied {}", self, clusterId,
                    loopStatus.term(), recovered.initial().snapshotIndex(), recovered.lastIndex(), appliedIndex);
        }
    }

    @Override
    public CompletableFuture<ProposalResult> propose(Bytes command) {
        java.util.Objects.requireNonNull(command, "command");
        RaftException refused = refusal();
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        if (command.size() > config.maxCommandBytes()) {
            return CompletableFuture.failedFuture(new ProposalDroppedException("command of " + command.size()
                    + " bytes exceeds maxCommandBytes " + config.maxCommandBytes()));
        }
        RaftStatus s = status;
        if (s.role() != Role.LEADER) {
            return CompletableFuture.failedFuture(new NotLeaderException(self, s.leader()));
        }
        PendingProposal p = new PendingProposal(command);
        if (!pending.offer(p)) {
            return CompletableFuture.failedFuture(new ProposalDroppedException(
                    "proposal queue full (maxPendingProposals " + config.maxPendingProposals() + "); retry later"));
        }
        scheduleDrain();
        sweepUnlessRunning();
        return p.future;
    }

    @Override
    public CompletableFuture<Bytes> read(Bytes query) {
        java.util.Objects.requireNonNull(query, "query");
        RaftException refused = refusal();
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        RaftStatus s = status;
        if (s.role() != Role.LEADER) {
            return CompletableFuture.failedFuture(new NotLeaderException(self, s.leader()));
        }
        PendingRead r = new PendingRead(readIds.incrementAndGet(), query);
        pending.addRead(r);
        post(() -> {
            try {
                protocol.readIndex(r.readId);
            } catch (NotLeaderException | ProposalDroppedException e) {
                pending.readDone(r);
                r.future.completeExceptionally(e);
            }
        });
        sweepUnlessRunning();
        return r.future;
    }

    @Override
    public CompletableFuture<SnapshotMeta> takeSnapshot() {
        RaftException refused = refusal();
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        CompletableFuture<SnapshotMeta> f = new CompletableFuture<>();
        pending.trackSnapshot(f);
        post(() -> snapshots.takeNow(f));
        sweepUnlessRunning(); // closed meanwhile: the posted task may never run
        return f;
    }

    @Override
    public RaftStatus status() {
        return status;
    }

    @Override
    public void close() {
        synchronized (lifecycleLock) {
            State prev;
            synchronized (this) {
                prev = state.getAndSet(State.STOPPED);
                if (prev == State.STOPPED) {
                    return;
                }
                status = withRole(status, Role.STOPPED, status.failure());
            }
            closeTicks();
            transport.close();
            persister.halt();
            applier.halt();
            sweepUnlessRunning();
            try {
                runtime.close();
            } catch (RuntimeException e) {
                LOG.warn("node {}: closing the runtime failed", self, e);
            }
            try {
                storage.close();
            } catch (Exception e) {
                LOG.warn("node {}: closing storage failed", self, e);
            }
            LOG.info("node {} closed", self);
        }
    }

    // ---------------------------------------------------------------- NodeCallbacks (storage / apply threads)

    @Override
    public void persisted(long index, long term) {
        post(() -> protocol.persisted(index, term));
    }

    @Override
    public void applied(long index) {
        post(() -> {
            appliedIndex = Math.max(appliedIndex, index);
            snapshots.onApplied(appliedIndex);
        });
    }

    @Override
    public void failed(String what, Throwable cause) {
        fail(what, cause);
    }

    // ---------------------------------------------------------------- inbox

    private void onMessage(RaftMessage message) {
        if (state.get() == State.RUNNING) {
            post(() -> {
                snapshots.onMessage(message);
                protocol.step(message);
            });
        }
    }

    private void onTick() {
        post(() -> {
            protocol.tick();
            snapshots.onTick();
        });
    }

    private void post(Runnable event) {
        inbox.add(event);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                runtime.loopExecutor().execute(this::drain);
            } catch (RejectedExecutionException e) {
                // The runtime is closing: close() sweeps every pending operation.
            }
        }
    }

    /** One loop iteration: every queued input, then one Ready. Loop thread only. */
    private void drain() {
        drainScheduled.set(false);
        if (state.get() != State.RUNNING) {
            inbox.clear();
            sweepUnlessRunning();
            return;
        }
        try {
            Runnable event;
            int n = 0;
            while (n++ < MAX_EVENTS_PER_DRAIN && (event = inbox.poll()) != null) {
                event.run();
            }
            proposeQueued();
            if (protocol.hasReady()) {
                Ready ready = protocol.ready();
                carryOut(ready);
                protocol.advance(ready);
            }
            publishStatus();
        } catch (Throwable t) {
            fail("event loop", t);
            return;
        }
        if (state.get() != State.RUNNING) {
            sweepUnlessRunning(); // closed or failed during this drain: nothing registered above may be left waiting
            return;
        }
        if (!inbox.isEmpty() || pending.queuedCount() > 0 || protocol.hasReady()) {
            scheduleDrain();
        }
    }

    /** Hands every queued proposal to the protocol as one batch (one log append, one replication round). */
    private void proposeQueued() {
        List<PendingProposal> batch = new ArrayList<>();
        PendingProposal p;
        while ((p = pending.pollQueued()) != null) {
            batch.add(p);
        }
        if (batch.isEmpty()) {
            return;
        }
        List<Bytes> commands = new ArrayList<>(batch.size());
        for (PendingProposal q : batch) {
            commands.add(q.command);
        }
        long first;
        try {
            first = protocol.propose(commands);
        } catch (NotLeaderException | ProposalDroppedException e) {
            for (PendingProposal q : batch) {
                q.future.completeExceptionally(e);
            }
            return;
        }
        long term = protocol.status(appliedIndex).term();
        for (int i = 0; i < batch.size(); i++) {
            PendingProposal q = batch.get(i);
            q.index = first + i;
            q.term = term;
            pending.appended(q);
        }
    }

    /** Carries out a Ready in the order its Javadoc prescribes (send now, persist, send after, apply). */
    private void carryOut(Ready ready) {
        for (RaftMessage m : ready.messagesNow()) {
            sendQuietly(m);
        }
        List<PendingRead> confirmed = new ArrayList<>(ready.readStates().size());
        for (ReadState rs : ready.readStates()) {
            PendingRead r = pending.read(rs.readId());
            if (r != null) {
                r.readIndex = rs.readIndex();
                r.confirmed = true;
                confirmed.add(r);
            }
        }
        List<LogEntry> committed = ready.committedEntries();
        if (!committed.isEmpty()) {
            committedHandedIndex = Math.max(committedHandedIndex, committed.get(committed.size() - 1).index());
        }
        ApplyBatch apply = committed.isEmpty() && confirmed.isEmpty() && ready.snapshotToRestore().isEmpty()
                ? ApplyBatch.EMPTY : new ApplyBatch(ready.snapshotToRestore(), committed, confirmed);
        if (ready.needsPersist() || !ready.messagesAfterPersist().isEmpty() || !apply.isEmpty()) {
            persister.submit(new PersistBatch(ready.hardState(), ready.compaction(), ready.entriesToPersist(),
                    ready.messagesAfterPersist(), apply), protocol.durableLastIndex());
        }
        snapshots.onReady(ready, protocol.term());
    }

    private void sendQuietly(RaftMessage m) {
        try {
            transport.send(m);
        } catch (RuntimeException e) {
            LOG.warn("node {}: Transport.send threw (it must not); message to {} dropped", self, m.to(), e);
        }
    }

    /** Publishes the status and reports what changed to the listener. Loop thread only. */
    private void publishStatus() {
        RaftStatus next = protocol.status(appliedIndex);
        RaftStatus prev = loopStatus;
        loopStatus = next;
        synchronized (this) {
            if (state.get() != State.RUNNING) {
                return;
            }
            status = next;
        }
        if (prev.role() == Role.LEADER && (next.role() != Role.LEADER || next.term() != prev.term())) {
            Optional<NodeId> leader = next.leader();
            pending.failAppendedAbove(committedHandedIndex, index -> new IndeterminateStateException(
                    "node " + self + " lost leadership in term " + prev.term() + " after appending the proposal at"
                            + " index " + index + "; it may or may not commit", index, null));
            pending.failUnconfirmedReads(() -> new NotLeaderException(self, leader));
        }
        if (next.role() != prev.role() || next.term() != prev.term()) {
            snapshots.onLeadership(next.role() == Role.LEADER, next.term());
        }
        if (next.term() != prev.term()) {
            notifyListener(l -> l.onTermChanged(self, next.term()));
        }
        if (next.role() != prev.role()) {
            notifyListener(l -> l.onRoleChanged(self, prev.role(), next.role(), next.term()));
        }
        if (!next.leader().equals(prev.leader())) {
            notifyListener(l -> l.onLeaderChanged(self, next.leader(), next.term()));
        }
        if (!next.config().equals(prev.config())) {
            transport.updatePeers(peersOf(next.config()));
            notifyListener(l -> l.onConfigChanged(self, next.config()));
        }
    }

    // ---------------------------------------------------------------- failure and shutdown

    /**
     * Moves the node to FAILED (from any thread); idempotent, and a no-op once closed.
     *
     * @return the failure, to be thrown or used to complete futures
     */
    private NodeFailedException fail(String what, Throwable cause) {
        NodeFailedException nf;
        Role before;
        synchronized (this) {
            State s = state.get();
            if (s == State.FAILED || s == State.STOPPED) {
                return failure != null ? failure
                        : new NodeFailedException("node " + self + " stopped while " + what, cause);
            }
            String reason = what + ": " + Failures.describeChain(cause);
            nf = new NodeFailedException("node " + self + " failed while " + reason, cause);
            failure = nf;
            state.set(State.FAILED);
            before = status.role();
            status = withRole(status, Role.FAILED, Optional.of(reason));
        }
        LOG.error("node {} FAILED while {}; it stops voting and serving until restarted by an operator", self, what,
                cause);
        persister.halt();
        applier.halt();
        sweepUnlessRunning();
        try {
            runtime.loopExecutor().execute(() -> {
                closeTicks();
                notifyListener(l -> l.onRoleChanged(self, before, Role.FAILED, status.term()));
                notifyListener(l -> l.onFailed(self, cause));
            });
        } catch (RejectedExecutionException e) {
            closeTicks();
        }
        return nf;
    }

    /** Fails every pending operation if the node is no longer running; safe from any thread. */
    private void sweepUnlessRunning() {
        State s = state.get();
        if (s == State.STOPPED) {
            pending.failAll(() -> new RaftStoppedException("node " + self + " was closed"),
                    "node " + self + " was closed before the proposal was known to commit", null);
        } else if (s == State.FAILED) {
            NodeFailedException nf = failure;
            pending.failAll(() -> nf, "node " + self + " failed before the proposal was known to commit", nf);
        }
    }

    private RaftException refusal() {
        State s = state.get();
        if (s == State.FAILED) {
            return failure;
        }
        if (s == State.STOPPED) {
            return new RaftStoppedException("node " + self + " was closed");
        }
        if (s == State.NEW) {
            return new RaftStoppedException("node " + self + " was not started");
        }
        return null;
    }

    private void closeTicks() {
        AutoCloseable t = ticks;
        ticks = null;
        if (t != null) {
            try {
                t.close();
            } catch (Exception e) {
                LOG.debug("cancelling ticks failed", e);
            }
        }
    }

    private void notifyListener(Consumer<RaftEventListener> event) {
        try {
            event.accept(listener);
        } catch (Throwable t) {
            LOG.warn("node {}: RaftEventListener threw; ignored (listeners must not throw)", self, t);
        }
    }

    private Map<NodeId, URI> peersOf(ClusterConfig c) {
        Map<NodeId, URI> peers = new TreeMap<>(c.addresses());
        peers.remove(self);
        return peers;
    }

    private static RaftStatus withRole(RaftStatus s, Role role, Optional<String> failure) {
        return new RaftStatus(s.self(), role, s.term(), role == Role.FAILED || role == Role.STOPPED
                ? Optional.empty() : s.leader(), s.commitIndex(), s.appliedIndex(), s.lastLogIndex(),
                s.snapshotIndex(), s.config(), List.of(), failure);
    }

    // ---------------------------------------------------------------- for tests in this package

    State state() {
        return state.get();
    }

    Persister persister() {
        return persister;
    }

    PendingOps pendingOps() {
        return pending;
    }
}
