package io.flotilla.core.internal.protocol;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.EntryKind;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.NotLeaderException;
import io.flotilla.PeerStatus;
import io.flotilla.ProposalDroppedException;
import io.flotilla.RaftConfig;
import io.flotilla.RaftStatus;
import io.flotilla.Role;
import io.flotilla.SnapshotMeta;
import io.flotilla.core.internal.log.RaftLog;
import io.flotilla.core.internal.log.StableLog;
import io.flotilla.core.internal.tracker.Progress;
import io.flotilla.core.internal.tracker.ProgressTracker;
import io.flotilla.message.AppendEntriesRequest;
import io.flotilla.message.AppendEntriesResponse;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.HeartbeatResponse;
import io.flotilla.message.InstallSnapshotRequest;
import io.flotilla.message.InstallSnapshotResponse;
import io.flotilla.message.PreVoteRequest;
import io.flotilla.message.PreVoteResponse;
import io.flotilla.message.RaftMessage;
import io.flotilla.message.ReadIndexRequest;
import io.flotilla.message.ReadIndexResponse;
import io.flotilla.message.TimeoutNow;
import io.flotilla.message.VoteRequest;
import io.flotilla.message.VoteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Raft algorithm as a deterministic state machine (etcd raft's {@code raft}/{@code RawNode}): no clock,
 * no threads, no I/O other than reads of the durable log through {@link StableLog}, no logging side effects.
 * Time advances only through {@link #tick()}; randomness comes only from {@link ProtocolParams#random()}.
 *
 * <p>Inputs: {@link #tick()}, {@link #step(RaftMessage)}, {@link #propose(List)}, {@link #readIndex(long)},
 * {@link #persisted(long, long)}. Output: {@link #ready()} then {@link #advance(Ready)} — see {@link Ready} for
 * the order in which the driver must carry a batch out.
 *
 * <p>The work is split like etcd's: this class holds the state and the role transitions (§5.1, §5.2);
 * {@link Elections} runs (pre-)votes, {@link Replication} the leader's side of AppendEntries and heartbeats,
 * {@link FollowerHandlers} the follower's, and {@link ReadIndexTracker} linearizable reads (thesis §6.4).
 *
 * <p><b>Threading:</b> not thread-safe; one thread (the node's event loop) calls every method.
 * <b>Blocking:</b> never blocks except on reads of the durable log. <b>Failure:</b> a failing log read throws
 * {@link java.io.UncheckedIOException}; an internal safety check throws {@link IllegalStateException}; either
 * way the driver must stop the node (never retry: state may be half-updated).
 */
public final class RaftProtocol {
    /** Budget of committed entries handed out per {@link Ready}; more follow in the next one. */
    static final long MAX_APPLY_BYTES = 64L << 20;

    final ProtocolParams params;
    final RaftConfig cfg;
    final NodeId self;
    final RaftLog log;
    final ProgressTracker tracker;
    final ConfigHistory configs;
    final Elections elections;
    final Replication replication;
    final FollowerHandlers follower;
    final ReadIndexTracker reads;
    final Snapshots snapshots;

    // Seeded bugs, resolved once so the hot path tests a field, not a set.
    final boolean bugCommitPreviousTerm;
    final boolean bugVoteBeforePersist;
    final boolean bugUpToDateByIndexOnly;
    final boolean bugLeaderAckBeforeDurable;
    final boolean bugFollowerCommitBeyondLastNew;

    // Persistent state (Figure 2). Invariant: term never decreases; vote is for `term`.
    long term;
    NodeId vote;
    // Volatile state.
    Role role = Role.FOLLOWER;
    NodeId leader;
    int electionElapsed;
    int heartbeatElapsed;
    int randomizedElectionTimeout;

    final ArrayList<RaftMessage> messagesNow = new ArrayList<>();
    final ArrayList<RaftMessage> messagesAfterPersist = new ArrayList<>();
    final ArrayList<ReadState> readStates = new ArrayList<>();
    private HardState handedOutHardState;
    private SoftState handedOutSoftState;
    private Ready outstanding;

    /**
     * Creates the core for one node.
     *
     * @param params fixed inputs
     * @param log the durable log, read-only
     * @param initial what was recovered from storage
     * @throws java.io.UncheckedIOException if the log cannot be read
     */
    public RaftProtocol(ProtocolParams params, StableLog log, InitialState initial) {
        this.params = Objects.requireNonNull(params, "params");
        this.cfg = params.config();
        this.self = params.self();
        this.log = new RaftLog(log, initial.snapshotIndex(), initial.snapshotTerm(), initial.appliedIndex());
        this.bugCommitPreviousTerm = params.seededBugs().contains(SeededBug.COMMIT_PREVIOUS_TERM_BY_COUNTING);
        this.bugVoteBeforePersist = params.seededBugs().contains(SeededBug.VOTE_BEFORE_PERSIST);
        this.bugUpToDateByIndexOnly = params.seededBugs().contains(SeededBug.UP_TO_DATE_BY_INDEX_ONLY);
        this.bugLeaderAckBeforeDurable = params.seededBugs().contains(SeededBug.LEADER_ACK_BEFORE_DURABLE);
        this.bugFollowerCommitBeyondLastNew = params.seededBugs().contains(SeededBug.FOLLOWER_COMMIT_BEYOND_LAST_NEW);
        // The initial configuration is the one at the snapshot index; configuration entries after it take
        // effect as they are found in the log (thesis §4.1).
        this.configs = new ConfigHistory(initial.config(), initial.snapshotIndex());
        scanConfigurations(Math.max(this.log.firstIndex(), initial.snapshotIndex() + 1), this.log.lastIndex());
        this.tracker = new ProgressTracker(configs.current(), cfg.maxInflightAppends(), cfg.maxInflightBytes());
        this.term = initial.hardState().term();
        this.vote = initial.hardState().votedFor().orElse(null);
        this.handedOutHardState = initial.hardState();
        this.elections = new Elections(this);
        this.replication = new Replication(this);
        this.follower = new FollowerHandlers(this);
        this.reads = new ReadIndexTracker(this);
        this.snapshots = new Snapshots(this);
        resetRandomizedElectionTimeout();
        this.handedOutSoftState = softState();
    }

    private void scanConfigurations(long from, long to) {
        for (long i = from; i <= to; ) {
            List<LogEntry> batch = log.entries(i, to + 1, MAX_APPLY_BYTES, 4096);
            for (int k = 0, n = batch.size(); k < n; k++) {
                LogEntry e = batch.get(k);
                if (e.kind() == EntryKind.CONFIGURATION) {
                    configs.append(e.index(), ClusterConfig.fromBytes(e.payload()));
                }
            }
            i += batch.size();
        }
    }

    // ---------------------------------------------------------------- inputs

    /** Advances logical time by one tick: election and heartbeat timers (§5.2). */
    public void tick() {
        if (role == Role.LEADER) {
            replication.tickLeader();
        } else {
            electionElapsed++;
            if (promotable() && electionElapsed >= randomizedElectionTimeout) {
                electionElapsed = 0;
                elections.campaign(cfg.preVote() ? Elections.Kind.PRE_VOTE : Elections.Kind.ELECTION);
            }
        }
    }

    /**
     * Handles one inbound message. Messages may arrive lost, duplicated or reordered; none of these can make the
     * node violate safety.
     *
     * @param m the message; messages not addressed to this node are ignored
     */
    public void step(RaftMessage m) {
        if (!m.to().equals(self) || m.from().equals(self)) {
            return;
        }
        if (m.term() > term) {
            if (m instanceof VoteRequest || m instanceof PreVoteRequest) {
                boolean transfer = m instanceof VoteRequest && ((VoteRequest) m).leadershipTransfer();
                // thesis §4.2.3 / §6.2: while a node hears from a current leader it disregards vote requests,
                // so a disconnected or removed server cannot depose a working leader. Pre-votes are refused the
                // same way even without check-quorum: thesis §9.6 grants them only to voters that have not heard
                // from a leader for an election timeout.
                boolean heardFromLeader = leader != null && electionElapsed < cfg.electionTicks();
                if (heardFromLeader && !transfer && (cfg.checkQuorum() || m instanceof PreVoteRequest)) {
                    return;
                }
            }
            boolean keepTerm = m instanceof PreVoteRequest
                    || (m instanceof PreVoteResponse && ((PreVoteResponse) m).granted());
            if (!keepTerm) {
                // §5.1: "if RPC request or response contains term T > currentTerm: set currentTerm = T, convert
                // to follower". A pre-vote does not raise terms (thesis §9.6).
                boolean fromLeader = m instanceof AppendEntriesRequest || m instanceof HeartbeatRequest
                        || m instanceof InstallSnapshotRequest;
                becomeFollower(m.term(), fromLeader ? m.from() : null);
            }
        } else if (m.term() < term) {
            follower.handleStaleTerm(m);
            return;
        }
        dispatch(m);
    }

    private void dispatch(RaftMessage m) {
        if (m instanceof AppendEntriesRequest) {
            follower.handleAppendEntries((AppendEntriesRequest) m);
        } else if (m instanceof AppendEntriesResponse) {
            if (role == Role.LEADER) {
                replication.handleAppendResponse((AppendEntriesResponse) m);
            }
        } else if (m instanceof HeartbeatRequest) {
            follower.handleHeartbeat((HeartbeatRequest) m);
        } else if (m instanceof HeartbeatResponse) {
            if (role == Role.LEADER) {
                replication.handleHeartbeatResponse((HeartbeatResponse) m);
            }
        } else if (m instanceof PreVoteRequest) {
            PreVoteRequest r = (PreVoteRequest) m;
            elections.handleVoteRequest(r.from(), r.term(), r.lastLogIndex(), r.lastLogTerm(), true);
        } else if (m instanceof VoteRequest) {
            VoteRequest r = (VoteRequest) m;
            elections.handleVoteRequest(r.from(), r.term(), r.lastLogIndex(), r.lastLogTerm(), false);
        } else if (m instanceof PreVoteResponse) {
            elections.handlePreVoteResponse((PreVoteResponse) m);
        } else if (m instanceof VoteResponse) {
            elections.handleVoteResponse((VoteResponse) m);
        } else if (m instanceof TimeoutNow) {
            elections.handleTimeoutNow((TimeoutNow) m);
        } else if (m instanceof InstallSnapshotRequest) {
            follower.handleInstallSnapshot((InstallSnapshotRequest) m);
        } else if (m instanceof InstallSnapshotResponse) {
            if (role == Role.LEADER) {
                snapshots.handleResponse((InstallSnapshotResponse) m);
            }
        } else if (m instanceof ReadIndexRequest) {
            ReadIndexRequest r = (ReadIndexRequest) m;
            if (role == Role.LEADER) {
                reads.register(r.requestId(), r.from());
            } else {
                reply(new ReadIndexResponse(self, r.from(), term, r.requestId(), false, 0));
            }
        } else if (m instanceof ReadIndexResponse) {
            ReadIndexResponse r = (ReadIndexResponse) m;
            // Follower reads (thesis §6.4): the confirmed index is surfaced like a local read; a refusal is left
            // to the caller's timeout (follower-read retries are a later issue).
            if (r.success()) {
                readStates.add(new ReadState(r.requestId(), r.readIndex()));
            }
        } else {
            throw new IllegalStateException("unhandled message type " + m.getClass().getName());
        }
    }

    /**
     * Appends commands to the leader's log as one batch (§5.3). The entries go to followers with the next
     * {@link #ready()}, together with any other proposals made before it, in as few messages as the batch limits
     * allow.
     *
     * @param commands the commands, in order
     * @return the log index of the first command; the others follow consecutively
     * @throws NotLeaderException if this node is not the leader
     * @throws ProposalDroppedException if a command exceeds {@link RaftConfig#maxCommandBytes()}, or the
     *     uncommitted tail would exceed {@link RaftConfig#maxPendingProposals()} entries (nothing is appended)
     */
    public long propose(List<Bytes> commands) {
        if (role != Role.LEADER) {
            throw new NotLeaderException(self, Optional.ofNullable(leader));
        }
        int n = commands.size();
        for (int i = 0; i < n; i++) {
            int size = commands.get(i).size();
            if (size > cfg.maxCommandBytes()) {
                throw new ProposalDroppedException("command " + i + " of the batch has " + size
                        + " bytes, more than maxCommandBytes=" + cfg.maxCommandBytes());
            }
        }
        long first = log.lastIndex() + 1;
        if (first - 1 - log.committed() + n > cfg.maxPendingProposals()) {
            throw new ProposalDroppedException("too many uncommitted entries (" + (first - 1 - log.committed())
                    + " + " + n + " > maxPendingProposals=" + cfg.maxPendingProposals() + "); retry later");
        }
        for (int i = 0; i < n; i++) {
            log.appendLeader(LogEntry.command(first + i, term, commands.get(i)));
        }
        replication.onLeaderAppended();
        return first;
    }

    /**
     * Registers a linearizable read (thesis §6.4). The read is confirmed in a later {@link Ready#readStates()}
     * once this leader has committed an entry of its term and a quorum has acknowledged a heartbeat round that
     * started after the registration. If leadership is lost first, the read is silently dropped: the driver
     * must fail every pending read when {@link Ready#softState()} shows another role or term.
     *
     * @param readId an id chosen by the caller, echoed in the {@link ReadState}
     * @throws NotLeaderException if this node is not the leader
     */
    public void readIndex(long readId) {
        if (role != Role.LEADER) {
            throw new NotLeaderException(self, Optional.ofNullable(leader));
        }
        reads.register(readId, null);
    }

    /**
     * Reports that the log up to {@code index} is durable, where the entry at {@code index} has {@code term}.
     * Ignored if the entry at {@code index} has since been replaced (its term differs) or was never handed out.
     *
     * @param index the last durable index
     * @param term the term of that entry
     */
    public void persisted(long index, long term) {
        if (log.stableTo(index, term) && role == Role.LEADER) {
            replication.onSelfDurable();
        }
    }

    /**
     * Reports that this node committed a snapshot of its own applied state (§7); the log is compacted below it,
     * minus the configured trailing margin, through a later {@link Ready#compaction()}.
     *
     * @param meta the snapshot, at most the commit index
     */
    public void snapshotTaken(SnapshotMeta meta) {
        snapshots.onTaken(meta);
    }

    /**
     * Reports that a snapshot streamed from the leader is complete and durable in the snapshot store (§7). Unless
     * the log has moved past it meanwhile, the log continues from it and the next {@link Ready} asks the driver to
     * restore the state machine from it.
     *
     * @param meta the snapshot
     * @return whether it was installed; if not, the log already covers it
     */
    public boolean snapshotReceived(SnapshotMeta meta) {
        return snapshots.onReceived(meta);
    }

    /**
     * Reports that streaming the snapshot to {@code peer} failed or was abandoned; the leader probes the follower
     * again (and starts a new transfer if it still needs one).
     *
     * @param peer the follower
     */
    public void reportSnapshot(NodeId peer) {
        snapshots.reportFailure(peer);
    }

    /** A snapshot was installed into the log: its configuration is the base from now on (thesis §4.1). */
    void onSnapshotInstalled(ClusterConfig config, long index, boolean suffixKept) {
        configs.restore(config, index, suffixKept);
        tracker.setConfig(configs.current(), log.lastIndex() + 1);
    }

    // ---------------------------------------------------------------- role transitions (§5.1, §5.2)

    boolean promotable() {
        return tracker.quorum().isVoter(self);
    }

    void resetRandomizedElectionTimeout() {
        // §5.2: "election timeouts are chosen randomly from a fixed interval"; here [electionTicks, 2*electionTicks).
        randomizedElectionTimeout = cfg.electionTicks() + params.random().nextInt(cfg.electionTicks());
    }

    private void reset(long newTerm) {
        if (newTerm != term) {
            term = newTerm;
            vote = null;
        }
        leader = null;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        resetRandomizedElectionTimeout();
        tracker.resetVotes();
        if (role == Role.LEADER) {
            reads.onLeadershipLost();
            tracker.clearProgress();
            snapshots.onRoleChange();
        }
    }

    void becomeFollower(long newTerm, NodeId newLeader) {
        reset(newTerm);
        role = Role.FOLLOWER;
        leader = newLeader;
    }

    void becomePreCandidate() {
        // thesis §9.6: a pre-candidate keeps its term and vote; it only asks whether it could win.
        reset(term);
        role = Role.PRE_CANDIDATE;
    }

    void becomeCandidate() {
        if (role == Role.LEADER) {
            throw new IllegalStateException("a leader cannot become a candidate");
        }
        reset(term + 1); // §5.2: "a follower increments its current term ... votes for itself"
        vote = self;
        role = Role.CANDIDATE;
    }

    void becomeLeader() {
        if (role != Role.CANDIDATE) {
            throw new IllegalStateException("only a candidate can become leader, not a " + role);
        }
        reset(term);
        role = Role.LEADER;
        leader = self;
        replication.onBecomeLeader();
    }

    // ---------------------------------------------------------------- log and configuration

    /**
     * Called after entries from {@code fromIndex} on were (re)written: configuration entries take effect when
     * appended and revert when truncated (thesis §4.1).
     */
    void onLogRewritten(long fromIndex, List<LogEntry> written) {
        boolean changed = configs.truncateFrom(fromIndex);
        for (int i = 0, n = written.size(); i < n; i++) {
            LogEntry e = written.get(i);
            if (e.index() >= fromIndex && e.kind() == EntryKind.CONFIGURATION) {
                configs.append(e.index(), ClusterConfig.fromBytes(e.payload()));
                changed = true;
            }
        }
        if (changed) {
            tracker.setConfig(configs.current(), log.lastIndex() + 1);
        }
    }

    // ---------------------------------------------------------------- output

    /** Sends a message once this batch is durable (votes, acknowledgements: §5.1). */
    void sendAfterPersist(RaftMessage m) {
        messagesAfterPersist.add(m);
    }

    /** Sends a message at once: it does not depend on this batch's persistence. */
    void sendNow(RaftMessage m) {
        messagesNow.add(m);
    }

    /** Sends a reply that carries the current term: after persistence only if the term is not yet durable. */
    void reply(RaftMessage m) {
        if (hardStateDirty()) {
            messagesAfterPersist.add(m);
        } else {
            messagesNow.add(m);
        }
    }

    private boolean hardStateDirty() {
        return handedOutHardState.term() != term
                || !Objects.equals(handedOutHardState.votedFor().orElse(null), vote);
    }

    private SoftState softState() {
        return new SoftState(role, Optional.ofNullable(leader), term);
    }

    private boolean softStateChanged() {
        return handedOutSoftState.role() != role || handedOutSoftState.term() != term
                || !Objects.equals(handedOutSoftState.leader().orElse(null), leader);
    }

    /** @return whether {@link #ready()} has work */
    public boolean hasReady() {
        return hardStateDirty() || softStateChanged() || log.hasNextToPersist() || log.hasNextCommittedEntries()
                || !messagesNow.isEmpty() || !messagesAfterPersist.isEmpty() || !readStates.isEmpty()
                || replication.hasPendingBroadcast() || reads.hasPendingRound() || snapshots.hasWork();
    }

    /**
     * Returns the pending work and marks it handed out; the driver carries it out as {@link Ready} describes,
     * then calls {@link #advance(Ready)}.
     *
     * @return the pending work (possibly empty)
     * @throws IllegalStateException if the previous {@code Ready} was not advanced
     */
    public Ready ready() {
        if (outstanding != null) {
            throw new IllegalStateException("advance() the previous Ready before asking for the next one");
        }
        if (role == Role.LEADER) {
            replication.flushBroadcast();
            reads.flushRound();
        }
        Optional<HardState> hs = Optional.empty();
        if (hardStateDirty()) {
            handedOutHardState = new HardState(term, Optional.ofNullable(vote));
            hs = Optional.of(handedOutHardState);
        }
        Optional<SoftState> ss = Optional.empty();
        if (softStateChanged()) {
            handedOutSoftState = softState();
            ss = Optional.of(handedOutSoftState);
        }
        Ready rd = new Ready(hs, log.takeNextToPersist(), messagesNow, messagesAfterPersist,
                log.nextCommittedEntries(MAX_APPLY_BYTES), readStates, ss, snapshots.takeCompaction(),
                snapshots.takeRestore(), snapshots.takeTargets(), snapshots.takeChunks());
        messagesNow.clear();
        messagesAfterPersist.clear();
        readStates.clear();
        outstanding = rd;
        return rd;
    }

    /**
     * Acknowledges that the driver has taken a {@link Ready} (persistence may still be in flight; completion is
     * reported with {@link #persisted(long, long)}).
     *
     * @param ready the batch last returned by {@link #ready()}
     * @throws IllegalStateException if {@code ready} is not the outstanding batch
     */
    public void advance(Ready ready) {
        if (ready != outstanding) {
            throw new IllegalStateException("advance() must be given the Ready last returned by ready()");
        }
        outstanding = null;
        configs.compact(log.committed());
    }

    /**
     * @param appliedIndex the state machine's applied index, which the driver tracks
     * @return a status view; {@link RaftStatus#peers()} is filled in on the leader only
     */
    public RaftStatus status(long appliedIndex) {
        List<PeerStatus> peers = new ArrayList<>();
        if (role == Role.LEADER) {
            for (Map.Entry<NodeId, Progress> e : tracker.progressMap().entrySet()) {
                if (e.getKey().equals(self)) {
                    continue;
                }
                Progress p = e.getValue();
                peers.add(new PeerStatus(e.getKey(), tracker.quorum().isVoter(e.getKey()), p.match(), p.next(),
                        p.state(), p.recentActive()));
            }
        }
        return new RaftStatus(self, role, term, Optional.ofNullable(leader), log.committed(), appliedIndex,
                log.lastIndex(), log.snapshotIndex(), tracker.config(), peers, Optional.empty());
    }

    // ---------------------------------------------------------------- read-only accessors (tests, simulator)

    /** @return the current term */
    public long term() {
        return term;
    }

    /** @return the current role */
    public Role role() {
        return role;
    }

    /** @return the known leader */
    public Optional<NodeId> leader() {
        return Optional.ofNullable(leader);
    }

    /** @return the vote cast in the current term */
    public Optional<NodeId> votedFor() {
        return Optional.ofNullable(vote);
    }

    /** @return the commit index */
    public long commitIndex() {
        return log.committed();
    }

    /** @return the last log index (durable or not) */
    public long lastIndex() {
        return log.lastIndex();
    }

    /** @return the last index known durable here: entries up to it are never rewritten before they are durable */
    public long durableLastIndex() {
        return log.durableLastIndex();
    }

    /** @return the configuration in force (the latest in the log, thesis §4.1) */
    public ClusterConfig config() {
        return tracker.config();
    }

    /**
     * Reads the term at an index, for invariant checkers.
     *
     * @param index an index
     * @return its term, or {@link RaftLog#NO_TERM}
     */
    public long termAt(long index) {
        return log.term(index);
    }
}
