package io.flotilla.core.internal.protocol;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.EntryKind;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.Role;
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
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A deterministic test driver for several {@link RaftProtocol} instances (like etcd's {@code InteractionEnv}):
 * an in-memory network the test delivers by hand, an in-memory durable log per node, and each {@link Ready}
 * carried out in the documented order (send now; persist; report persisted; send after-persist; apply; serve
 * reads). A node's storage can be held, so a crash loses what was not yet persisted.
 *
 * <p>After every step it checks safety: at most one leader per term (Election Safety, §5.2) and identical entries
 * applied at each index on every node (State Machine Safety, §5.4.3). Violations are collected, not thrown, so
 * seeded-bug tests can observe them.
 */
final class Env {
    /** One simulated node: protocol, disk, queued storage work and applied entries. */
    static final class Node {
        final NodeId id;
        final MemoryStableLog disk = new MemoryStableLog();
        final List<Ready> storageQueue = new ArrayList<>();
        final List<LogEntry> applied = new ArrayList<>();
        final List<ReadState> servedReads = new ArrayList<>();
        ProtocolParams params;
        RaftProtocol p;
        boolean up = true;
        boolean held;
        boolean paused;
        long seed;

        Node(NodeId id) {
            this.id = id;
        }
    }

    final StringBuilder out = new StringBuilder();
    final Map<NodeId, Node> nodes = new LinkedHashMap<>();
    final List<RaftMessage> network = new ArrayList<>();
    final List<RaftMessage> stash = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    private final Map<Long, NodeId> leaderOfTerm = new HashMap<>();
    private final Map<Long, LogEntry> appliedAt = new HashMap<>();
    private List<Set<NodeId>> partition = List.of();
    ClusterConfig bootConfig;
    boolean verbose = true;

    static NodeId id(String s) {
        return NodeId.of(s);
    }

    static NodeId id(int i) {
        return NodeId.of(Integer.toString(i));
    }

    // ------------------------------------------------------------------ setup

    /** Creates nodes 1..n (voters) and the given learners; all start as followers at term 0. */
    void addNodes(int voters, List<Integer> learners, RaftConfig config, long seed, Set<SeededBug> bugs) {
        TreeMap<NodeId, URI> addr = new TreeMap<>();
        TreeSet<NodeId> voterIds = new TreeSet<>();
        TreeSet<NodeId> learnerIds = new TreeSet<>();
        for (int i = 1; i <= voters + learners.size(); i++) {
            NodeId id = id(i);
            addr.put(id, URI.create("mem://" + i));
            if (learners.contains(i)) {
                learnerIds.add(id);
            } else {
                voterIds.add(id);
            }
        }
        bootConfig = new ClusterConfig(voterIds, learnerIds, new TreeSet<>(), addr);
        for (NodeId id : addr.keySet()) {
            Node n = new Node(id);
            n.seed = seed * 1000 + Long.parseLong(id.value());
            n.params = new ProtocolParams(id, config, new SplittableRandom(n.seed), bugs);
            nodes.put(id, n);
            boot(n);
        }
    }

    private void boot(Node n) {
        n.params = new ProtocolParams(n.id, n.params.config(), new SplittableRandom(n.seed++), n.params.seededBugs());
        n.p = new RaftProtocol(n.params, n.disk, new InitialState(n.disk.hardState(), bootConfig, 0, 0, 0));
        n.applied.clear();
        n.storageQueue.clear();
        n.up = true;
        n.held = false;
        n.paused = false;
    }

    /** Replaces a node's disk with entries of the given terms (commands "i"), then restarts it. */
    void initLog(NodeId id, long[] terms, long hardTerm) {
        Node n = node(id);
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            entries.add(LogEntry.command(i + 1, terms[i], Bytes.ofUtf8(Integer.toString(i + 1))));
        }
        MemoryStableLog fresh = n.disk;
        fresh.replaceAll(entries);
        fresh.setHardState(HardState.of(hardTerm));
        boot(n);
    }

    Node node(NodeId id) {
        Node n = nodes.get(id);
        if (n == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        return n;
    }

    RaftProtocol p(int i) {
        return node(id(i)).p;
    }

    // ------------------------------------------------------------------ driving

    /** Carries out every pending Ready of a node, in the order Ready documents. */
    void process(Node n) {
        if (!n.up) {
            return;
        }
        boolean again = true;
        while (again) {
            again = false;
            while (n.p.hasReady()) {
                Ready rd = n.p.ready();
                rd.softState().ifPresent(ss -> out.append(String.format("%s: %s term=%d lead=%s%n", n.id,
                        ss.role(), ss.term(), ss.leader().map(NodeId::value).orElse("-"))));
                network.addAll(rd.messagesNow()); // 1. at once
                n.storageQueue.add(rd);
                n.p.advance(rd);
                checkLeaders(n);
            }
            if (!n.held && !n.storageQueue.isEmpty()) {
                flushStorage(n);
                again = true;
            }
        }
    }

    private void flushStorage(Node n) {
        List<Ready> queue = new ArrayList<>(n.storageQueue);
        n.storageQueue.clear();
        for (Ready rd : queue) {
            n.disk.persist(rd); // 2. persist
            if (!rd.entriesToPersist().isEmpty()) {
                LogEntry last = rd.entriesToPersist().get(rd.entriesToPersist().size() - 1);
                n.p.persisted(last.index(), last.term());
            }
            network.addAll(rd.messagesAfterPersist()); // 3. after persist
            for (LogEntry e : rd.committedEntries()) { // 4. apply
                apply(n, e);
            }
            for (ReadState rs : rd.readStates()) {
                n.servedReads.add(rs);
                long applied = n.applied.isEmpty() ? 0 : n.applied.get(n.applied.size() - 1).index();
                out.append(String.format("%s: read-state id=%d index=%d applied=%d%n", n.id, rs.readId(),
                        rs.readIndex(), applied));
            }
        }
    }

    private void apply(Node n, LogEntry e) {
        long expected = n.applied.isEmpty() ? 1 : n.applied.get(n.applied.size() - 1).index() + 1;
        if (e.index() != expected) {
            violations.add(n.id + " applied " + e.index() + " but expected " + expected);
        }
        n.applied.add(e);
        LogEntry prior = appliedAt.putIfAbsent(e.index(), e);
        if (prior != null && !prior.equals(e)) {
            violations.add("state machine safety: " + n.id + " applied " + fmt(e) + " at " + e.index()
                    + " where another node applied " + fmt(prior));
            out.append("VIOLATION: ").append(violations.get(violations.size() - 1)).append('\n');
        }
    }

    private void checkLeaders(Node n) {
        if (n.p.role() == Role.LEADER) {
            NodeId prior = leaderOfTerm.putIfAbsent(n.p.term(), n.id);
            if (prior != null && !prior.equals(n.id)) {
                violations.add("election safety: " + prior + " and " + n.id + " both lead term " + n.p.term());
                out.append("VIOLATION: ").append(violations.get(violations.size() - 1)).append('\n');
            }
        }
    }

    void processAll() {
        for (Node n : nodes.values()) {
            process(n);
        }
    }

    void campaign(NodeId id) {
        Node n = node(id);
        n.p.elections.campaign(n.params.config().preVote() ? Elections.Kind.PRE_VOTE : Elections.Kind.ELECTION);
        process(n);
    }

    void tick(NodeId id, int times) {
        Node n = node(id);
        for (int i = 0; i < times && n.up; i++) {
            n.p.tick();
            process(n);
        }
    }

    void tickAll(int times) {
        for (int i = 0; i < times; i++) {
            for (Node n : nodes.values()) {
                if (n.up && !n.paused) {
                    n.p.tick();
                    process(n);
                }
            }
        }
    }

    /** Delivers the messages queued now (not the ones they cause) that match; returns how many. */
    int deliver(Predicate<RaftMessage> which) {
        List<RaftMessage> batch = new ArrayList<>();
        for (Iterator<RaftMessage> it = network.iterator(); it.hasNext(); ) {
            RaftMessage m = it.next();
            if (which.test(m) && !node(m.to()).paused) {
                batch.add(m);
                it.remove();
            }
        }
        for (RaftMessage m : batch) {
            Node to = node(m.to());
            if (!to.up) {
                if (verbose) {
                    out.append("dropped (down) ").append(fmt(m)).append('\n');
                }
                continue;
            }
            if (cut(m.from(), m.to())) {
                if (verbose) {
                    out.append("dropped (partition) ").append(fmt(m)).append('\n');
                }
                continue;
            }
            if (verbose) {
                out.append(fmt(m)).append('\n');
            }
            to.p.step(m);
            process(to);
        }
        return batch.size();
    }

    /** Delivers until the network is quiet (bounded). */
    void stabilize() {
        for (int round = 0; round < 1000; round++) {
            processAll();
            if (deliver(m -> true) == 0) {
                return;
            }
        }
        throw new IllegalStateException("network did not stabilize in 1000 rounds");
    }

    /** {@code rounds} times: tick every running node once, then deliver everything queued. */
    void run(int rounds) {
        boolean saved = verbose;
        verbose = false;
        for (int i = 0; i < rounds; i++) {
            tickAll(1);
            deliver(m -> true);
        }
        verbose = saved;
    }

    boolean cut(NodeId a, NodeId b) {
        if (partition.isEmpty()) {
            return false;
        }
        for (Set<NodeId> group : partition) {
            if (group.contains(a)) {
                return !group.contains(b);
            }
        }
        return true;
    }

    void partition(List<Set<NodeId>> groups) {
        this.partition = groups;
    }

    void crash(NodeId id) {
        Node n = node(id);
        n.up = false;
        n.storageQueue.clear(); // whatever was not yet durable is lost
        out.append(id).append(": crashed\n");
    }

    void restart(NodeId id) {
        Node n = node(id);
        boot(n);
        out.append(String.format("%s: restarted term=%d vote=%s last=%d%n", id, n.p.term(),
                n.p.votedFor().map(NodeId::value).orElse("-"), n.p.lastIndex()));
    }

    long propose(NodeId id, String... commands) {
        Node n = node(id);
        List<Bytes> batch = new ArrayList<>();
        for (String c : commands) {
            batch.add(Bytes.ofUtf8(c));
        }
        long first = n.p.propose(batch);
        process(n);
        return first;
    }

    Node leader() {
        Node found = null;
        for (Node n : nodes.values()) {
            if (n.up && n.p.role() == Role.LEADER && (found == null || n.p.term() > found.p.term())) {
                found = n;
            }
        }
        return found;
    }

    // ------------------------------------------------------------------ formatting

    String status() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes.values()) {
            if (!n.up) {
                sb.append(n.id).append(": down\n");
                continue;
            }
            RaftProtocol p = n.p;
            sb.append(String.format("%s: %s term=%d vote=%s lead=%s last=%d commit=%d applied=%d%n", n.id, p.role(),
                    p.term(), p.votedFor().map(NodeId::value).orElse("-"), p.leader().map(NodeId::value).orElse("-"),
                    p.lastIndex(), p.commitIndex(), n.applied.size()));
        }
        return sb.toString();
    }

    String log(NodeId id) {
        Node n = node(id);
        StringBuilder sb = new StringBuilder(id + ":");
        for (long i = 1; i <= n.p.lastIndex(); i++) {
            sb.append(' ').append(i).append('/').append(n.p.termAt(i));
        }
        return sb.append('\n').toString();
    }

    static String fmt(LogEntry e) {
        String body = e.kind() == EntryKind.COMMAND ? e.payload().utf8()
                : e.kind() == EntryKind.NO_OP ? "noop" : "conf";
        return e.index() + "/" + e.term() + " " + body;
    }

    static String fmt(RaftMessage m) {
        String head = m.from() + "->" + m.to() + " ";
        if (m instanceof AppendEntriesRequest) {
            AppendEntriesRequest r = (AppendEntriesRequest) m;
            StringBuilder ents = new StringBuilder();
            for (LogEntry e : r.entries()) {
                ents.append(ents.length() == 0 ? "" : ", ").append(fmt(e));
            }
            return head + "App t" + r.term() + " prev=" + r.prevLogIndex() + "/" + r.prevLogTerm() + " ["
                    + ents + "] commit=" + r.leaderCommit();
        } else if (m instanceof AppendEntriesResponse) {
            AppendEntriesResponse r = (AppendEntriesResponse) m;
            return head + "AppResp t" + r.term() + (r.success() ? " ok match=" + r.matchIndex()
                    : " reject idx=" + r.rejectedIndex() + " hint=" + r.conflictTerm() + "@" + r.conflictIndex())
                    + " last=" + r.lastLogIndex();
        } else if (m instanceof HeartbeatRequest) {
            HeartbeatRequest r = (HeartbeatRequest) m;
            return head + "Heartbeat t" + r.term() + " commit=" + r.commitIndex() + " ctx=" + r.readContext();
        } else if (m instanceof HeartbeatResponse) {
            HeartbeatResponse r = (HeartbeatResponse) m;
            return head + "HeartbeatResp t" + r.term() + " ctx=" + r.readContext() + " last=" + r.lastLogIndex();
        } else if (m instanceof PreVoteRequest) {
            PreVoteRequest r = (PreVoteRequest) m;
            return head + "PreVote t" + r.term() + " last=" + r.lastLogIndex() + "/" + r.lastLogTerm();
        } else if (m instanceof PreVoteResponse) {
            PreVoteResponse r = (PreVoteResponse) m;
            return head + "PreVoteResp t" + r.term() + (r.granted() ? " granted" : " rejected");
        } else if (m instanceof VoteRequest) {
            VoteRequest r = (VoteRequest) m;
            return head + "Vote t" + r.term() + " last=" + r.lastLogIndex() + "/" + r.lastLogTerm()
                    + (r.leadershipTransfer() ? " transfer" : "");
        } else if (m instanceof VoteResponse) {
            VoteResponse r = (VoteResponse) m;
            return head + "VoteResp t" + r.term() + (r.granted() ? " granted" : " rejected");
        } else if (m instanceof TimeoutNow) {
            return head + "TimeoutNow t" + m.term();
        } else if (m instanceof InstallSnapshotRequest) {
            return head + "InstallSnapshot t" + m.term();
        } else if (m instanceof InstallSnapshotResponse) {
            InstallSnapshotResponse r = (InstallSnapshotResponse) m;
            return head + "InstallSnapshotResp t" + r.term() + " accepted=" + r.accepted();
        } else if (m instanceof ReadIndexRequest) {
            return head + "ReadIndex t" + m.term() + " id=" + ((ReadIndexRequest) m).requestId();
        } else if (m instanceof ReadIndexResponse) {
            ReadIndexResponse r = (ReadIndexResponse) m;
            return head + "ReadIndexResp t" + r.term() + " id=" + r.requestId() + " ok=" + r.success()
                    + " index=" + r.readIndex();
        }
        throw new IllegalArgumentException("unknown message " + m);
    }
}
