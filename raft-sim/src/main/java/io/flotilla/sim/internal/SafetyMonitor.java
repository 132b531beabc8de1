package io.flotilla.sim.internal;

import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.RaftStatus;
import io.flotilla.Role;
import io.flotilla.message.AppendEntriesRequest;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.RaftMessage;
import io.flotilla.message.VoteRequest;
import io.flotilla.message.VoteResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The global observer of a simulated cluster: it sees every message sent, every durable store write, every
 * state-machine application, every listener event and, after every event, every node's status, and checks
 * Raft's safety properties (paper Figure 3) plus the persistence rules they rest on. The first violation is
 * kept; the run stops at it.
 *
 * <p>Checks: Election Safety (one leader per term, from the listener, status and the wire: all AppendEntries
 * and heartbeats of a term come from one node); Leader Append-Only (within a term, every AppendEntries agrees with
 * the earlier ones at every index it covers, and a leader never truncates entries of its own term); one vote per
 * (voter, term), and a granted vote is durable before it is sent (§5.1); the up-to-date rule holds for granted
 * votes (§5.4.1); a node's durable term never decreases and its durable vote in a term never changes, across
 * crashes; Log Matching over durable logs via a hash chain keyed by (index, term), re-anchored on the committed
 * chain where a node compacts its log into a snapshot; a leader commits only entries durable on a quorum,
 * including its own log (thesis §10.2.1), and advances commit only to an entry of its term (§5.4.2); committed
 * prefixes never change (Leader Completeness, against the committed chain); State Machine Safety (one command and
 * one state digest per applied index, over all nodes), and every applied entry is durable on a quorum; commit
 * index never decreases within a node incarnation; a follower's commit index never exceeds what a delivered leader
 * message justified ({@code min(leaderCommit, last index carried)}, Figure 2 receiver rule 5, or a heartbeat's
 * commit index).
 *
 * <p><b>Threading:</b> confined to the simulation thread.
 */
public final class SafetyMonitor {
    private record VoteKey(NodeId voter, long term) {}

    private record IndexTerm(long index, long term) {}

    private record LastLog(long index, long term) {}

    /** A voter's durable log end when a candidate asked it for its vote, and its truncation count then. */
    private record VoterView(long index, long term, long truncations) {}

    private record RequestKey(NodeId voter, NodeId candidate, long term) {}

    /** What the monitor tracks per node across incarnations. */
    private static final class NodeState {
        final DurableLog log = new DurableLog();
        HardState hardState = HardState.INITIAL;
        // Per incarnation:
        long lastCommit;
        /** Counts durable suffix truncations, so a vote check can tell whether the log shrank meanwhile. */
        long truncations;
        /** Highest commit index this node ever reported, across incarnations (terms are durable, so it never
         * accepts a leader that lacks an entry it once knew committed). */
        long maxCommitEver;
        Role lastRole = Role.FOLLOWER;
        long lastTerm;
        boolean leaderCommitAdvanced;
        /** Highest commit index any leader message delivered to this node (or its own leadership) justified. */
        long justifiedCommit;
        /** The node's most recent storage and role events, for explanations. */
        final java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();
    }

    private void note(NodeId node, String what) {
        java.util.ArrayDeque<String> r = nodes.get(node).recent;
        if (r.size() == 40) {
            r.removeFirst();
        }
        r.addLast(String.format("%.3fms %s", queue.now() / 1e6, what));
    }

    private final EventQueue queue;
    private final int quorum;
    private final Map<NodeId, NodeState> nodes = new TreeMap<>();
    private final Map<Long, NodeId> leaderOfTerm = new HashMap<>();
    private final Map<Long, NodeId> appendSenderOfTerm = new HashMap<>();
    private final Map<VoteKey, NodeId> grants = new HashMap<>();
    private final Map<VoteKey, LastLog> voteRequests = new HashMap<>();
    private final Map<RequestKey, VoterView> voterViews = new HashMap<>();
    private final Map<IndexTerm, Long> chainAt = new HashMap<>();
    private final SentEntries sentEntries = new SentEntries();
    private final CommittedChain committed = new CommittedChain();
    private long[] appliedCommand = new long[64];
    private long[] appliedDigest = new long[64];
    private long appliedMax;
    private long checks;
    private String violation;

    /**
     * Creates a monitor.
     *
     * @param queue the event queue (for timestamps)
     * @param members every voter of the cluster
     */
    public SafetyMonitor(EventQueue queue, List<NodeId> members) {
        this.queue = queue;
        this.quorum = members.size() / 2 + 1;
        for (NodeId id : members) {
            nodes.put(id, new NodeState());
        }
    }

    /** @return the first violation, if any */
    public Optional<String> violation() {
        return Optional.ofNullable(violation);
    }

    /** @return how many individual checks ran */
    public long checks() {
        return checks;
    }

    /** @return the number of distinct terms that had a leader */
    public int leaderTerms() {
        return leaderOfTerm.size();
    }

    /** @return the highest index known committed by any leader */
    public long committedMax() {
        return committed.max();
    }

    void fail(String invariant, String detail) {
        if (violation == null) {
            StringBuilder sb = new StringBuilder(invariant + " violated at t=" + queue.now() / 1_000_000.0 + "ms: "
                    + detail);
            for (Map.Entry<NodeId, NodeState> e : nodes.entrySet()) {
                if (detail.startsWith(e.getKey().value() + " ")) {
                    sb.append("\nrecent events of ").append(e.getKey()).append(':');
                    for (String r : e.getValue().recent) {
                        sb.append("\n  ").append(r);
                    }
                }
            }
            violation = sb.toString();
        }
    }

    // ------------------------------------------------------------------ wire

    /**
     * A node sends a message (seen before the network can drop it).
     *
     * @param m the message
     */
    public void onSend(RaftMessage m) {
        checks++;
        if (m instanceof AppendEntriesRequest || m instanceof HeartbeatRequest) {
            NodeId prev = appendSenderOfTerm.putIfAbsent(m.term(), m.from());
            if (prev != null && !prev.equals(m.from())) {
                fail("Election Safety (wire)", "both " + prev + " and " + m.from()
                        + " sent AppendEntries/heartbeats in term " + m.term());
            }
            NodeId leader = leaderOfTerm.get(m.term());
            if (leader != null && !leader.equals(m.from())) {
                fail("Election Safety (wire)", m.from() + " sent " + m.getClass().getSimpleName() + " in term "
                        + m.term() + " whose leader is " + leader);
            }
            if (m instanceof AppendEntriesRequest ae) {
                String problem = sentEntries.check(ae);
                if (problem != null) {
                    fail("Leader Append-Only (Figure 3)", ae.from() + " (leader, term " + ae.term()
                            + ") sent an AppendEntries to " + ae.to() + " whose " + problem
                            + ": a leader never overwrites or deletes entries in its log");
                }
            }
        } else if (m instanceof VoteRequest vr) {
            voteRequests.put(new VoteKey(vr.from(), vr.term()), new LastLog(vr.lastLogIndex(), vr.lastLogTerm()));
            NodeState voter = nodes.get(vr.to());
            if (voter != null) {
                DurableLog vl = voter.log;
                long li = vl.lastIndex();
                long lt = li > 0 && vl.has(li) ? vl.term(li) : -1;
                voterViews.putIfAbsent(new RequestKey(vr.to(), vr.from(), vr.term()),
                        new VoterView(li, lt, voter.truncations));
            }
        } else if (m instanceof VoteResponse vr && vr.granted()) {
            onVoteGranted(vr);
        }
    }

    private void onVoteGranted(VoteResponse vr) {
        NodeId voter = vr.from();
        NodeState ns = nodes.get(voter);
        NodeId prev = grants.putIfAbsent(new VoteKey(voter, vr.term()), vr.to());
        if (prev != null && !prev.equals(vr.to())) {
            fail("one vote per term", voter + " granted its term-" + vr.term() + " vote to both " + prev + " and "
                    + vr.to());
            return;
        }
        // The grant is safe once durable state forbids any other vote in that term: it records this vote, or a
        // later term (a coalesced write may skip the intermediate state).
        HardState durable = ns.hardState;
        boolean protectedByDisk = durable.term() > vr.term()
                || (durable.term() == vr.term() && durable.votedFor().equals(Optional.of(vr.to())));
        if (!protectedByDisk) {
            fail("vote durable before reply (§5.1)", voter + " granted its term-" + vr.term() + " vote to " + vr.to()
                    + " before durably storing it (durable hard state: term " + durable.term() + ", vote "
                    + durable.votedFor().map(NodeId::toString).orElse("none") + ")");
            return;
        }
        LastLog candidate = voteRequests.get(new VoteKey(vr.to(), vr.term()));
        VoterView view = voterViews.get(new RequestKey(voter, vr.to(), vr.term()));
        // §5.4.1 is about the voter's log when it decided. What it held durably when the candidate asked is part of
        // that log, unless a truncation happened in between (then nothing is known and the check is skipped).
        // Its durable log at send time is NOT a safe reference: group commit may make entries durable that a
        // later leader delivered after the vote was decided, even entries of older terms.
        if (candidate != null && view != null && view.truncations() == ns.truncations && view.term() >= 0) {
            long i = view.index();
            long t = view.term();
            if (t > candidate.term() || (t == candidate.term() && i > candidate.index())) {
                fail("up-to-date vote (§5.4.1)", voter + " granted its term-" + vr.term() + " vote to "
                        + vr.to() + " whose last entry is (index " + candidate.index() + ", term "
                        + candidate.term() + ") although its own durable log already ended at (index " + i
                        + ", term " + t + ") when the vote was requested");
            }
        }
    }

    /**
     * A message is handed to its addressee (after the network's faults).
     *
     * @param m the message
     */
    public void onDeliver(RaftMessage m) {
        long justified = -1;
        if (m instanceof AppendEntriesRequest ae) {
            // Figure 2 receiver rule 5: commitIndex = min(leaderCommit, index of last new entry).
            justified = Math.min(ae.leaderCommit(), ae.lastIndex());
        } else if (m instanceof HeartbeatRequest hb) {
            justified = hb.commitIndex();
        } else if (m instanceof io.flotilla.message.InstallSnapshotRequest is) {
            justified = Long.MAX_VALUE; // a snapshot carries committed state up to its index
        }
        if (justified >= 0) {
            NodeState ns = nodes.get(m.to());
            if (ns != null) {
                ns.justifiedCommit = Math.max(ns.justifiedCommit, justified);
            }
        }
    }

    // ------------------------------------------------------------------ storage

    /**
     * A hard-state save returned (it is durable).
     *
     * @param node the node
     * @param hs the saved state
     */
    public void onHardStateSaved(NodeId node, HardState hs) {
        checks++;
        NodeState ns = nodes.get(node);
        HardState prev = ns.hardState;
        if (hs.term() < prev.term()) {
            fail("term never decreases", node + " saved term " + hs.term() + " after term " + prev.term());
        } else if (hs.term() == prev.term() && prev.votedFor().isPresent() && !prev.votedFor().equals(hs.votedFor())) {
            fail("one durable vote per term", node + " changed its durable term-" + hs.term() + " vote from "
                    + prev.votedFor().get() + " to " + hs.votedFor().map(NodeId::toString).orElse("none"));
        }
        ns.hardState = hs;
        note(node, "saved " + hs);
    }

    /**
     * A hard-state load returned.
     *
     * @param node the node
     * @param hs the loaded state
     */
    public void onHardStateLoaded(NodeId node, HardState hs) {
        HardState expected = nodes.get(node).hardState;
        if (!hs.equals(expected)) {
            fail("durable hard state survives restart", node + " loaded " + hs + " but last saved " + expected);
        }
    }

    /**
     * A log append returned.
     *
     * @param node the node
     * @param entries the entries, now durable
     */
    public void onAppended(NodeId node, List<LogEntry> entries) {
        checks++;
        DurableLog log = nodes.get(node).log;
        if (!entries.isEmpty()) {
            note(node, "appended " + entries.get(0).index() + ".." + entries.get(entries.size() - 1).index()
                    + " term " + entries.get(entries.size() - 1).term());
        }
        String problem = log.append(entries);
        if (problem != null) {
            fail("durable log well-formed", node + ": " + problem);
            return;
        }
        if (!entries.isEmpty()) {
            checkLogMatching(node, log, entries.get(0).index(), entries.get(entries.size() - 1).index());
        }
    }

    /** Log Matching (§5.3) for the node's entries in [from, to] whose chain is known. */
    private void checkLogMatching(NodeId node, DurableLog log, long from, long to) {
        for (long i = from; i <= to; i++) {
            if (!log.chainKnown(i) || !log.has(i)) {
                continue;
            }
            long c = log.chain(i);
            Long prev = chainAt.putIfAbsent(new IndexTerm(i, log.term(i)), c);
            if (prev != null && prev != c) {
                fail("Log Matching (§5.3)", node + " durably holds an entry at (index " + i + ", term "
                        + log.term(i) + ") whose log prefix differs from another node's entry at the same index and term");
                return;
            }
        }
    }

    /**
     * A suffix truncation returned.
     *
     * @param node the node
     * @param fromIndex the first index removed
     */
    public void onTruncated(NodeId node, long fromIndex) {
        checks++;
        NodeState ns = nodes.get(node);
        DurableLog held = ns.log;
        long last = held.lastIndex();
        // Leader Append-Only (Figure 3): the entries of a leader's own term are the ones it appended as leader (no
        // other node makes entries of its term), and it never deletes them. Its log is append-only: terms never
        // decrease along it, so the last entry tells whether the removed range holds one of them.
        if (ns.lastRole == Role.LEADER && fromIndex <= last && held.has(last) && held.term(last) == ns.lastTerm) {
            fail("Leader Append-Only (Figure 3)", node + " (leader, term " + ns.lastTerm + ") truncated its log from "
                    + "index " + fromIndex + " through " + last + ", removing entries it appended as the leader of "
                    + "that term");
        }
        // Raft forbids removing an entry the node itself knew to be committed (§5.3, §5.4.2). A lagging node in an
        // older term may legitimately drop an entry that a quorum committed without it (a delayed append from a
        // deposed leader of an intermediate term can do that); the entry survives on the committing quorum and on
        // every later leader (Leader Completeness, checked whenever a leader advances its commit index). So the
        // bound is the node's own commit, not the cluster's.
        if (fromIndex <= ns.maxCommitEver && committed.knows(fromIndex)) {
            DurableLog log = ns.log;
            if (fromIndex <= log.lastIndex() && log.chainKnown(fromIndex)
                    && log.chain(fromIndex) == committed.chain(fromIndex)) {
                fail("a node never removes an entry it knew committed", node + " truncated its log from index "
                        + fromIndex + " which holds a committed entry it had seen committed (its commit reached "
                        + ns.maxCommitEver + ")");
            }
        }
        if (fromIndex <= nodes.get(node).log.lastIndex()) {
            nodes.get(node).truncations++;
            note(node, "truncated from " + fromIndex);
        }
        nodes.get(node).log.truncateSuffix(fromIndex);
    }

    /**
     * A prefix compaction returned.
     *
     * @param node the node
     * @param throughIndex the compaction point
     */
    public void onCompacted(NodeId node, long throughIndex) {
        checks++;
        DurableLog log = nodes.get(node).log;
        boolean known = committed.knows(throughIndex);
        DurableLog.Compaction c = log.compactPrefix(throughIndex, known, known ? committed.chain(throughIndex) : 0,
                known ? committed.term(throughIndex) : 0);
        if (c == DurableLog.Compaction.NONE) {
            return;
        }
        note(node, "compacted through " + throughIndex + (log.lastIndex() == throughIndex ? " (log empty)" : "")
                + switch (c) {
                    case ANCHORED -> ", chain re-anchored on the committed chain";
                    case STALE -> ", held other entries there than the committed ones: chain re-anchored, "
                            + "stale entries after it unchained";
                    case PENDING -> ", committed chain not known there yet: chain pending";
                    default -> "";
                });
        if (c == DurableLog.Compaction.ANCHORED) {
            checkLogMatching(node, log, throughIndex + 1, log.lastIndex());
        }
    }

    // ------------------------------------------------------------------ state machine

    /**
     * A node applied a command and reached a state digest.
     *
     * @param node the node
     * @param index the log index
     * @param commandHash hash of the command
     * @param stateDigest the state digest after applying it
     */
    public void onApplied(NodeId node, long index, long commandHash, long stateDigest) {
        checks++;
        if (index >= appliedCommand.length) {
            int n = (int) Math.max(index + 1, appliedCommand.length * 2L);
            appliedCommand = Arrays.copyOf(appliedCommand, n);
            appliedDigest = Arrays.copyOf(appliedDigest, n);
        }
        int i = (int) index;
        if (appliedCommand[i] == 0) {
            appliedCommand[i] = commandHash | 1; // never 0
            appliedDigest[i] = stateDigest;
            appliedMax = Math.max(appliedMax, index);
        } else if (appliedCommand[i] != (commandHash | 1)) {
            fail("State Machine Safety", node + " applied a different command at index " + index
                    + " than another node");
            return;
        } else if (appliedDigest[i] != stateDigest) {
            fail("deterministic state machine", node + " reached a different state digest after index " + index);
            return;
        }
        int holders = 0;
        for (NodeState ns : nodes.values()) {
            DurableLog log = ns.log;
            if (log.has(index) && log.payloadHash(index) == Hashing.mix(commandHash, io.flotilla.EntryKind.COMMAND.ordinal())) {
                holders++;
            } else if (index <= ns.log.lastIndex() && !log.has(index)) {
                holders++; // compacted into a snapshot: counted as held
            }
        }
        if (holders < quorum) {
            fail("applied only when durable on a quorum", node + " applied index " + index + " which only "
                    + holders + " of " + nodes.size() + " nodes hold durably (quorum " + quorum + ")");
        }
    }

    // ------------------------------------------------------------------ listener and status

    /**
     * A node reported a role change.
     *
     * @param node the node
     * @param to the new role
     * @param term the term
     */
    public void onRoleChanged(NodeId node, Role to, long term) {
        if (to == Role.LEADER) {
            noteLeader(node, term, "listener");
        }
    }

    private void noteLeader(NodeId node, long term, String source) {
        NodeId prev = leaderOfTerm.putIfAbsent(term, node);
        if (prev != null && !prev.equals(node)) {
            fail("Election Safety", "both " + prev + " and " + node + " became leader of term " + term + " (" + source
                    + ")");
        }
    }

    /** A node incarnation starts (commit tracking restarts). @param node the node */
    public void onStart(NodeId node) {
        note(node, "started");
        NodeState ns = nodes.get(node);
        ns.lastCommit = 0;
        ns.lastRole = Role.FOLLOWER;
        ns.lastTerm = 0;
        ns.leaderCommitAdvanced = false;
    }

    /**
     * Checks one node's published status; called after every event.
     *
     * @param s the status
     */
    public void onStatus(RaftStatus s) {
        checks++;
        NodeState ns = nodes.get(s.self());
        if (s.commitIndex() < ns.lastCommit) {
            fail("commit index never decreases", s.self() + " commit went from " + ns.lastCommit + " to "
                    + s.commitIndex());
            return;
        }
        if (s.appliedIndex() > s.commitIndex()) {
            fail("applied ≤ commit", s.self() + " applied " + s.appliedIndex() + " > commit " + s.commitIndex());
            return;
        }
        boolean leaderNow = s.role() == Role.LEADER;
        if (leaderNow || ns.lastRole == Role.LEADER) {
            // A leader's own commits (and those it made in the loop iteration in which it stepped down, which no
            // status showed) are checked by checkLeaderCommit, not here.
            ns.justifiedCommit = Math.max(ns.justifiedCommit, s.commitIndex());
        } else if (s.commitIndex() > ns.justifiedCommit) {
            fail("follower commit = min(leaderCommit, last new entry) (Figure 2)", s.self() + " (" + s.role()
                    + ", term " + s.term() + ") has commit index " + s.commitIndex() + " but no leader message "
                    + "delivered to it justified more than " + ns.justifiedCommit);
            return;
        }
        boolean sameLeadership = leaderNow && ns.lastRole == Role.LEADER && ns.lastTerm == s.term();
        if (leaderNow) {
            if (!sameLeadership) {
                ns.leaderCommitAdvanced = false;
                noteLeader(s.self(), s.term(), "status");
            }
            if (s.commitIndex() > ns.lastCommit || !sameLeadership) {
                checkLeaderCommit(s, ns, sameLeadership && s.commitIndex() > ns.lastCommit);
            }
        }
        if (s.role() != ns.lastRole || s.term() != ns.lastTerm) {
            note(s.self(), s.role() + " term " + s.term() + " commit " + s.commitIndex() + " last " + s.lastLogIndex());
        } else if (s.commitIndex() != ns.lastCommit && leaderNow) {
            note(s.self(), "commit " + s.commitIndex() + " last " + s.lastLogIndex());
        }
        ns.lastCommit = s.commitIndex();
        ns.maxCommitEver = Math.max(ns.maxCommitEver, s.commitIndex());
        ns.lastRole = s.role();
        ns.lastTerm = s.term();
    }

    private void checkLeaderCommit(RaftStatus s, NodeState ns, boolean advanced) {
        long c = s.commitIndex();
        if (!advanced || c == 0) {
            // A new leader's commit index is inherited from its follower days; only its own advances count.
            return;
        }
        ns.leaderCommitAdvanced = true;
        // The entry at c: the leader's own if durable (it may legitimately lag, thesis §10.2.1: a quorum of
        // followers suffices), otherwise the current-term entry at c, which is what a correct leader commits.
        List<DurableLog> copies = new ArrayList<>(); // durable copies of the committed entry, the leader's first
        long termAtC = s.term();
        if (ns.log.has(c)) {
            copies.add(ns.log);
            termAtC = ns.log.term(c);
            if (termAtC != s.term()) {
                fail("commit only current-term entries by counting (§5.4.2)", s.self() + " (leader, term " + s.term()
                        + ") advanced commit to index " + c + " whose entry is from term " + termAtC);
                return;
            }
        }
        // A node whose snapshot covers c holds the committed entry there, and it is this one if the committed chain
        // says so: a leader that was paused may count acks of entries that the cluster committed and compacted since.
        boolean inSnapshots = committed.knows(c) && committed.term(c) == termAtC;
        int holders = 0;
        for (NodeState other : nodes.values()) {
            DurableLog l = other.log;
            if (l.has(c) && l.term(c) == termAtC) {
                holders++;
                if (l != ns.log) {
                    copies.add(l);
                }
            } else if (inSnapshots && l.compacted(c)) {
                holders++;
            }
        }
        if (holders < quorum) {
            fail("commit requires a durable quorum (§5.3, thesis §10.2.1)", s.self() + " (leader, term " + s.term()
                    + ") committed index " + c + " but only " + holders + " nodes hold the term-" + termAtC
                    + " entry there durably (quorum " + quorum + "; the leader's durable log ends at "
                    + ns.log.lastIndex() + ")");
            return;
        }
        // Leader Completeness: the committed prefix must match every earlier commit.
        long upTo = Math.min(c, committed.max());
        DurableLog reference = null;
        for (DurableLog l : copies) {
            if (l.chainKnown(c)) {
                reference = l;
                break;
            }
        }
        if (reference == null) {
            return;
        }
        if (upTo > 0 && reference.chainKnown(upTo) && reference.chain(upTo) != committed.chain(upTo)) {
            fail("Leader Completeness (§5.4)", s.self() + " (leader, term " + s.term() + ") committed up to index " + c
                    + " over a prefix (through index " + upTo + ") that differs from the entries committed earlier");
            return;
        }
        if (c > committed.max()) {
            for (DurableLog l : copies) {
                if (committed.extend(l, c)) {
                    anchorPending();
                    break;
                }
            }
        }
    }

    /** Anchors the chains of nodes that compacted beyond the committed chain, now that it reached them. */
    private void anchorPending() {
        for (Map.Entry<NodeId, NodeState> e : nodes.entrySet()) {
            DurableLog l = e.getValue().log;
            long at = l.pendingAnchor();
            if (at > 0 && committed.knows(at)) {
                boolean rechained = l.anchor(committed.chain(at), committed.term(at));
                note(e.getKey(), "chain at " + at + " anchored on the committed chain" + (rechained ? ""
                        : "; the stale entries after it stay unchained"));
                if (rechained) {
                    checkLogMatching(e.getKey(), l, at + 1, l.lastIndex());
                }
            }
        }
    }

    /**
     * Summarizes, for the report.
     *
     * @return leader terms and committed/applied maxima
     */
    public String summary() {
        List<String> parts = new ArrayList<>();
        parts.add("leaderTerms=" + leaderOfTerm.size());
        parts.add("committed=" + committed.max());
        parts.add("applied=" + appliedMax);
        return String.join(" ", parts);
    }
}
