package io.flotilla.bench.driver;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.RaftNode;
import io.flotilla.Role;
import io.flotilla.core.Raft;
import io.flotilla.testkit.TestPorts;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Flotilla under load: three nodes assembled with {@link Raft#newBuilder()}, the transport and the storage chosen
 * by URI scheme through {@link java.util.ServiceLoader} (so a new backend is benchmarked by adding its
 * dependency). With {@code processes = 3}, node {@code n1} runs here and {@code n2}, {@code n3} in child JVMs
 * ({@link FlotillaNodeMain}), whose long election timeout lets {@code n1} win, so the clients here talk to the
 * leader.
 */
public final class FlotillaClusterFactory implements BenchClusterFactory {
    /** Creates the factory. */
    public FlotillaClusterFactory() {}

    @Override
    public String name() {
        return "flotilla";
    }

    @Override
    public BenchCluster start(Settings settings) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        ClusterId clusterId = ClusterId.of("bench-" + run);
        Map<NodeId, URI> addresses = new LinkedHashMap<>();
        Map<NodeId, URI> stores = new LinkedHashMap<>();
        Path dir = settings.dataDir().resolve("flotilla-" + run);
        for (int i = 1; i <= 3; i++) {
            NodeId id = NodeId.of("n" + i);
            addresses.put(id, settings.transport().equals("mem")
                    ? URI.create("mem://n" + i) // the shared in-memory network, keyed by cluster id
                    : URI.create(settings.transport() + "://127.0.0.1:" + TestPorts.freeStablePort()));
            stores.put(id, settings.store().equals("mem")
                    ? URI.create("mem:bench-n" + i + "?reset=true") // replaces the previous cluster's data
                    : URI.create(settings.store() + ":" + dir.resolve(id.value()).toAbsolutePath()));
        }
        ClusterConfig config = ClusterConfig.ofVoters(addresses);
        Map<RaftNode, KvStateMachine> local = new LinkedHashMap<>();
        List<Process> children = new ArrayList<>();
        try {
            for (NodeId id : addresses.keySet()) {
                if (settings.processes() == 3 && !id.value().equals("n1")) {
                    children.add(FlotillaNodeMain.spawn(clusterId, id, config, stores.get(id)));
                    continue;
                }
                KvStateMachine machine = new KvStateMachine();
                local.put(Raft.newBuilder().clusterId(clusterId).nodeId(id).initialConfig(config)
                        .stateMachine(machine).storage(stores.get(id)).build(), machine);
            }
            local.keySet().forEach(RaftNode::start);
            return new FlotillaCluster(settings, local, children, dir);
        } catch (Exception | Error e) {
            local.keySet().forEach(RaftNode::close);
            children.forEach(Process::destroy);
            throw e;
        }
    }

    private static final class FlotillaCluster implements BenchCluster {
        private final Settings settings;
        private final Map<RaftNode, KvStateMachine> local;
        private final List<Process> children;
        private final Path dir;
        private volatile RaftNode leader;

        FlotillaCluster(Settings settings, Map<RaftNode, KvStateMachine> local, List<Process> children, Path dir)
                throws InterruptedException {
            this.settings = settings;
            this.local = local;
            this.children = children;
            this.dir = dir;
            this.leader = awaitLeader();
        }

        private RaftNode awaitLeader() throws InterruptedException {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                for (RaftNode n : local.keySet()) {
                    // With child processes, wait for n1: the children's long election timeout lets it win.
                    if (n.status().role() == Role.LEADER && (children.isEmpty() || n.id().value().equals("n1"))) {
                        return n;
                    }
                }
                for (Process p : children) {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("a follower process exited: " + p.exitValue());
                    }
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException("no leader within 60 s");
        }

        @Override
        public String describe() {
            return "Flotilla " + settings.transport() + ":// + " + settings.store() + ": ("
                    + (children.isEmpty() ? "3 nodes in one JVM" : "3 JVMs") + ")";
        }

        @Override
        public void propose(byte[] command, Completion completion) {
            RaftNode target = leader;
            target.propose(Bytes.unsafeWrap(command)).whenComplete((r, e) -> {
                if (e != null) {
                    followLeader(target);
                }
                completion.done(e);
            });
        }

        /** After a failure (typically NotLeaderException), switches to whichever local node leads now. */
        private void followLeader(RaftNode failed) {
            if (leader != failed) {
                return;
            }
            for (RaftNode n : local.keySet()) {
                if (n.status().role() == Role.LEADER && (children.isEmpty() || n.id().value().equals("n1"))) {
                    leader = n;
                    return;
                }
            }
        }

        @Override
        public long appliedOnLeader() {
            return local.get(leader).applied();
        }

        @Override
        public void close() throws Exception {
            local.keySet().forEach(RaftNode::close);
            for (Process p : children) {
                p.getOutputStream().close(); // the child prints its heap figures and exits
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroy();
                    p.waitFor();
                }
            }
            Files2.deleteTree(dir);
        }
    }
}
