package io.flotilla.bench.competitors;

import io.flotilla.bench.driver.BenchCluster;
import io.flotilla.bench.driver.BenchClusterFactory;
import io.flotilla.bench.driver.KvStateMachine;
import io.flotilla.bench.driver.Settings;
import io.microraft.RaftConfig;
import io.microraft.RaftEndpoint;
import io.microraft.RaftNode;
import io.microraft.model.message.RaftMessage;
import io.microraft.statemachine.StateMachine;
import io.microraft.transport.Transport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * MicroRaft 0.7 in its in-memory setup, as its own tests and tutorial run it: three nodes in one JVM, messages
 * handed to the target node's {@code handle} as objects (no serialization), MicroRaft's default in-memory
 * {@code RaftStore} (nothing persisted) and default {@code RaftConfig}. It supports only {@code --transport mem
 * --store mem}: compared with Flotilla on the in-memory transport and storage, it measures the protocol core.
 */
public final class MicroRaftClusterFactory implements BenchClusterFactory {
    /** Creates the factory (ServiceLoader). */
    public MicroRaftClusterFactory() {}

    @Override
    public String name() {
        return "microraft";
    }

    @Override
    public BenchCluster start(Settings settings) throws Exception {
        if (!settings.transport().equals("mem") || !settings.store().equals("mem")) {
            throw new IllegalArgumentException("microraft runs only in memory: --transport mem --store mem");
        }
        Map<String, RaftNode> nodes = new ConcurrentHashMap<>();
        Map<String, Machine> machines = new HashMap<>();
        List<RaftEndpoint> members = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            members.add(new Endpoint("n" + i));
        }
        for (RaftEndpoint e : members) {
            Machine machine = new Machine();
            RaftNode node = RaftNode.newBuilder().setGroupId("bench").setLocalEndpoint(e)
                    .setInitialGroupMembers(members).setConfig(RaftConfig.DEFAULT_RAFT_CONFIG)
                    .setTransport(new LocalTransport(nodes)).setStateMachine(machine).build();
            nodes.put((String) e.getId(), node);
            machines.put((String) e.getId(), machine);
        }
        nodes.values().forEach(RaftNode::start);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (RaftNode n : nodes.values()) {
                RaftEndpoint leader = n.getTerm().getLeaderEndpoint();
                if (leader != null && leader.equals(n.getLocalEndpoint())) {
                    return new Cluster(n, machines, nodes);
                }
            }
            Thread.sleep(10);
        }
        nodes.values().forEach(RaftNode::terminate);
        throw new IllegalStateException("MicroRaft elected no leader in 60 s");
    }

    private record Endpoint(String id) implements RaftEndpoint {
        @Override
        public Object getId() {
            return id;
        }
    }

    /** Delivers each message to the target node's actor, as MicroRaft's own LocalTransport does. */
    private record LocalTransport(Map<String, RaftNode> nodes) implements Transport {
        @Override
        public void send(RaftEndpoint target, RaftMessage message) {
            RaftNode node = nodes.get((String) target.getId());
            if (node != null) {
                node.handle(message);
            }
        }

        @Override
        public boolean isReachable(RaftEndpoint endpoint) {
            return nodes.containsKey((String) endpoint.getId());
        }
    }

    /** The benchmark's key-value logic ({@link KvStateMachine}) on byte arrays. */
    private static final class Machine implements StateMachine {
        private final Map<Long, byte[]> values = new HashMap<>();
        private volatile long applied;

        @Override
        public Object runOperation(long commitIndex, Object operation) {
            if (operation instanceof byte[] command) {
                values.put(KvStateMachine.key(command, 0), command);
                applied++;
            }
            return null;
        }

        @Override
        public void takeSnapshot(long commitIndex, Consumer<Object> chunks) {
            chunks.accept(new HashMap<>(values));
        }

        @Override
        @SuppressWarnings("unchecked")
        public void installSnapshot(long commitIndex, List<Object> chunks) {
            values.clear();
            for (Object c : chunks) {
                values.putAll((Map<Long, byte[]>) c);
            }
        }

        @Override
        public Object getNewTermOperation() {
            return null;
        }
    }

    private static final class Cluster implements BenchCluster {
        private volatile RaftNode leader;
        private final Map<String, Machine> machines;
        private final Map<String, RaftNode> nodes;

        Cluster(RaftNode leader, Map<String, Machine> machines, Map<String, RaftNode> nodes) {
            this.leader = leader;
            this.machines = machines;
            this.nodes = nodes;
        }

        @Override
        public String describe() {
            return "MicroRaft 0.7 in memory (objects passed between nodes, no store; 3 nodes in one JVM)";
        }

        @Override
        public void propose(byte[] command, Completion completion) {
            RaftNode target = leader;
            target.replicate(command).whenComplete((r, e) -> {
                RaftEndpoint now = target.getTerm().getLeaderEndpoint();
                if (e != null && target == leader && now != null) {
                    leader = nodes.get((String) now.getId()); // follow a new leader, as a client would
                }
                completion.done(e);
            });
        }

        @Override
        public long appliedOnLeader() {
            return machines.get((String) leader.getLocalEndpoint().getId()).applied;
        }

        @Override
        public void close() {
            for (RaftNode n : nodes.values()) {
                n.terminate().join();
            }
        }
    }
}
