package io.flotilla.bench.competitors;

import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.option.NodeOptions;
import io.flotilla.bench.driver.BenchCluster;
import io.flotilla.bench.driver.BenchClusterFactory;
import io.flotilla.bench.driver.KvStateMachine;
import io.flotilla.bench.driver.Settings;
import io.flotilla.testkit.TestPorts;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SOFAJRaft 1.4.1 as an embedded library: three nodes in one JVM, each a {@link RaftGroupService} with its own
 * Bolt RPC server on 127.0.0.1 and its default RocksDB log storage with {@code sync} on (its default); commands go
 * to the leader's {@link Node#apply} in-process, as Flotilla's go to {@code RaftNode.propose}. Snapshots off (no
 * snapshot URI). Supports the network transport and file store only.
 */
public final class SofaJRaftClusterFactory implements BenchClusterFactory {
    /** Creates the factory (ServiceLoader). */
    public SofaJRaftClusterFactory() {}

    @Override
    public String name() {
        return "sofajraft";
    }

    @Override
    public BenchCluster start(Settings settings) throws Exception {
        if (settings.transport().equals("mem") || !settings.durable() || settings.processes() != 1) {
            throw new IllegalArgumentException("sofajraft runs with its own RPC and RocksDB log, in one JVM:"
                    + " --transport grpc --store file --processes 1");
        }
        String group = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = settings.dataDir().resolve("sofajraft-" + group);
        List<PeerId> peers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            peers.add(new PeerId("127.0.0.1", TestPorts.freeStablePort()));
        }
        Configuration conf = new Configuration(peers);
        List<RaftGroupService> services = new ArrayList<>();
        Map<Node, Machine> nodes = new HashMap<>();
        for (PeerId peer : peers) {
            Path home = dir.resolve("n" + peer.getPort());
            Files.createDirectories(home);
            NodeOptions options = new NodeOptions();
            Machine machine = new Machine();
            options.setFsm(machine);
            options.setInitialConf(conf.copy());
            options.setLogUri(home.resolve("log").toString());
            options.setRaftMetaUri(home.resolve("meta").toString());
            options.getRaftOptions().setSync(true);
            options.setElectionTimeoutMs(1000);
            RaftGroupService service = new RaftGroupService(group, peer, options);
            services.add(service);
            nodes.put(service.start(), machine);
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Map.Entry<Node, Machine> e : nodes.entrySet()) {
                if (e.getKey().isLeader()) {
                    return new Cluster(e.getKey(), nodes, services, dir);
                }
            }
            Thread.sleep(10);
        }
        services.forEach(RaftGroupService::shutdown);
        throw new IllegalStateException("SOFAJRaft elected no leader in 60 s");
    }

    /** The benchmark's key-value logic ({@link KvStateMachine}) over SOFAJRaft's iterator. */
    private static final class Machine extends StateMachineAdapter {
        private final Map<Long, byte[]> values = new HashMap<>();
        private volatile long applied;

        @Override
        public void onApply(Iterator iter) {
            while (iter.hasNext()) {
                // In one JVM the leader's entry buffer is shared with its replicators: read a view, never
                // move the shared buffer's position (doing so emptied the followers' commands).
                ByteBuffer data = iter.getData().duplicate();
                byte[] command = new byte[data.remaining()];
                data.get(command);
                values.put(KvStateMachine.key(command, 0), command);
                applied++;
                if (iter.done() != null) {
                    iter.done().run(Status.OK());
                }
                iter.next();
            }
        }
    }

    private static final class Cluster implements BenchCluster {
        private volatile Node leader;
        private final Map<Node, Machine> nodes;
        private final List<RaftGroupService> services;
        private final Path dir;

        Cluster(Node leader, Map<Node, Machine> nodes, List<RaftGroupService> services, Path dir) {
            this.leader = leader;
            this.nodes = nodes;
            this.services = services;
            this.dir = dir;
        }

        @Override
        public String describe() {
            return "SOFAJRaft 1.4.1 bolt RPC + RocksDB log, sync on (3 nodes in one JVM)";
        }

        @Override
        public void propose(byte[] command, Completion completion) {
            Node target = leader;
            target.apply(new Task(ByteBuffer.wrap(command), status -> {
                if (!status.isOk() && target == leader) {
                    // Typically EPERM after a leader change: follow the new leader, as a client would.
                    nodes.keySet().stream().filter(Node::isLeader).findFirst().ifPresent(n -> leader = n);
                }
                completion.done(status.isOk() ? null : new IllegalStateException("SOFAJRaft: " + status));
            }));
        }

        @Override
        public long appliedOnLeader() {
            return nodes.get(leader).applied;
        }

        @Override
        public void close() throws Exception {
            for (RaftGroupService s : services) {
                s.shutdown();
            }
            for (RaftGroupService s : services) {
                s.join();
            }
            Trees.delete(dir);
        }
    }
}
