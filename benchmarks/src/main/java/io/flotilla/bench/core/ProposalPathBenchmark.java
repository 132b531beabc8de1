package io.flotilla.bench.core;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.Role;
import io.flotilla.core.internal.log.StableLog;
import io.flotilla.core.internal.protocol.InitialState;
import io.flotilla.core.internal.protocol.ProtocolParams;
import io.flotilla.core.internal.protocol.RaftProtocol;
import io.flotilla.core.internal.protocol.Ready;
import io.flotilla.message.RaftMessage;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The proposal path of the protocol core alone, without threads, I/O or a clock (as etcd's
 * {@code node_bench_test.go}): three {@code RaftProtocol} instances in lock step, the benchmark playing the driver's
 * part of {@code Ready}/{@code advance} by hand. One operation proposes {@code batch} 256-byte commands on the
 * leader and carries every {@code Ready} out (send, persist to an in-memory log, report persisted, apply) until all
 * three nodes have applied them. The score per operation divided by {@code batch} is the core's CPU cost per
 * committed command on three replicas.
 *
 * <pre>{@code java -cp <classpath> org.openjdk.jmh.Main ProposalPathBenchmark}</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProposalPathBenchmark {
    /** Commands per proposal call. */
    @Param({"1", "16"})
    public int batch;

    private final Map<NodeId, Node> nodes = new LinkedHashMap<>();
    private final ArrayDeque<RaftMessage> network = new ArrayDeque<>();
    private Node leader;
    private List<Bytes> commands;
    private long applied;

    /** One replica: its protocol and its in-memory durable log. */
    private static final class Node {
        final TailLog disk = new TailLog();
        RaftProtocol p;
    }

    /** Builds the group and elects node 1 by ticking only it. */
    @Setup(Level.Iteration)
    public void elect() {
        nodes.clear();
        network.clear();
        Map<NodeId, URI> members = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            members.put(NodeId.of("n" + i), URI.create("mem://n" + i));
        }
        ClusterConfig config = ClusterConfig.ofVoters(members);
        long seed = 1;
        for (NodeId id : members.keySet()) {
            Node n = new Node();
            n.p = new RaftProtocol(new ProtocolParams(id, RaftConfig.defaults(), new SplittableRandom(seed++),
                    Set.of()), n.disk, new InitialState(HardState.INITIAL, config, 0, 0, 0));
            nodes.put(id, n);
        }
        leader = nodes.get(NodeId.of("n1"));
        for (int t = 0; t < 10_000 && leader.p.role() != Role.LEADER; t++) {
            leader.p.tick();
            pump();
        }
        if (leader.p.role() != Role.LEADER) {
            throw new IllegalStateException("n1 did not become leader");
        }
        commands = Collections.nCopies(batch, Bytes.copyOf(new byte[256]));
    }

    /**
     * Proposes one batch and runs the group until every node has applied it.
     *
     * @return the entries applied so far (consumed by JMH)
     */
    @Benchmark
    public long proposeAndCommit() {
        leader.p.propose(commands);
        pump();
        return applied;
    }

    private void pump() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Node n : nodes.values()) {
                while (n.p.hasReady()) {
                    progress = true;
                    Ready rd = n.p.ready();
                    network.addAll(rd.messagesNow());
                    n.p.advance(rd);
                    rd.hardState().ifPresent(hs -> n.disk.hardState = hs);
                    List<LogEntry> persist = rd.entriesToPersist();
                    if (!persist.isEmpty()) {
                        n.disk.append(persist);
                        LogEntry last = persist.get(persist.size() - 1);
                        n.p.persisted(last.index(), last.term());
                    }
                    network.addAll(rd.messagesAfterPersist());
                    applied += rd.committedEntries().size();
                }
            }
            RaftMessage m;
            while ((m = network.poll()) != null) {
                progress = true;
                nodes.get(m.to()).p.step(m);
            }
        }
    }

    /** An in-memory log keeping only its recent tail (the followers never lag in lock step). */
    private static final class TailLog implements StableLog {
        private static final int KEEP = 100_000;
        private final ArrayList<LogEntry> entries = new ArrayList<>();
        private long first = 1; // index of entries.get(0)
        private long termBeforeFirst;
        HardState hardState = HardState.INITIAL;

        void append(List<LogEntry> batch) {
            long from = batch.get(0).index();
            while (first + entries.size() > from) {
                entries.remove(entries.size() - 1);
            }
            entries.addAll(batch);
            if (entries.size() > 2 * KEEP) {
                termBeforeFirst = entries.get(KEEP - 1).term();
                entries.subList(0, KEEP).clear();
                first += KEEP;
            }
        }

        @Override
        public long firstIndex() {
            return first;
        }

        @Override
        public long lastIndex() {
            return first + entries.size() - 1;
        }

        @Override
        public long term(long index) {
            if (index == first - 1) {
                return termBeforeFirst;
            }
            return entries.get((int) (index - first)).term();
        }

        @Override
        public List<LogEntry> entries(long fromIndex, long toIndex, long maxBytes) {
            List<LogEntry> out = new ArrayList<>();
            long bytes = 0;
            for (long i = fromIndex; i < toIndex; i++) {
                LogEntry e = entries.get((int) (i - first));
                if (!out.isEmpty() && bytes + e.sizeBytes() > maxBytes) {
                    break;
                }
                bytes += e.sizeBytes();
                out.add(e);
            }
            return out;
        }
    }
}
