package io.flotilla.bench.driver;

import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.RaftEventListener;
import io.flotilla.RaftNode;
import io.flotilla.Role;
import io.flotilla.core.Raft;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A follower node in a child JVM for the driver's 3-process mode. It hands leadership to the driver's node whenever
 * it wins an election, so the closed-loop clients in the driver always talk to a local leader. It runs until its
 * standard input closes (the driver exits or destroys it) and then prints its heap and GC figures.
 *
 * <pre>{@code java -cp ... io.flotilla.bench.driver.FlotillaNodeMain <cluster> <node> <storageUri> <yieldTo> <id=uri>...}</pre>
 */
public final class FlotillaNodeMain {
    private FlotillaNodeMain() {}

    /** Child JVM flags: the same heap budget as a node of the one-JVM run, so figures compare. */
    static final String CHILD_HEAP = "-Xmx256m";

    static Process spawn(ClusterId cluster, NodeId id, ClusterConfig config, URI storage, NodeId yieldTo)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(CHILD_HEAP);
        cmd.add("-XX:+UseG1GC");
        if (Runtime.version().feature() >= 24) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FlotillaNodeMain.class.getName());
        cmd.add(cluster.value());
        cmd.add(id.value());
        cmd.add(storage.toString());
        cmd.add(yieldTo.value());
        config.addresses().forEach((n, uri) -> cmd.add(n.value() + "=" + uri));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /**
     * Runs one node.
     *
     * @param args cluster id, node id, storage URI, the node to hand leadership to, then {@code id=uri} members
     * @throws Exception if the node cannot start
     */
    public static void main(String[] args) throws Exception {
        ClusterId cluster = ClusterId.of(args[0]);
        NodeId self = NodeId.of(args[1]);
        URI storage = URI.create(args[2]);
        NodeId yieldTo = NodeId.of(args[3]);
        Map<NodeId, URI> members = new TreeMap<>();
        for (int i = 4; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            members.put(NodeId.of(kv[0]), URI.create(kv[1]));
        }
        AtomicReference<RaftNode> ref = new AtomicReference<>();
        RaftEventListener yielding = new RaftEventListener() {
            @Override
            public void onRoleChanged(NodeId node, Role from, Role to, long term) {
                RaftNode n = ref.get();
                if (to == Role.LEADER && n != null) {
                    n.transferLeadership(yieldTo);
                }
            }
        };
        RaftNode node = Raft.newBuilder().clusterId(cluster).nodeId(self)
                .initialConfig(ClusterConfig.ofVoters(members)).stateMachine(new KvStateMachine())
                .storage(storage).listener(yielding).build();
        ref.set(node);
        node.start();
        Thread yielder = new Thread(() -> {
            // The role event may fire before ref is set, or a transfer may time out: retry while leading.
            while (true) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                if (node.status().role() == Role.LEADER) {
                    node.transferLeadership(yieldTo);
                }
            }
        }, "yield-leadership");
        yielder.setDaemon(true);
        yielder.start();
        while (System.in.read() >= 0) {
            // Wait for the driver to close our standard input.
        }
        System.err.println("[" + self + "] " + JvmStats.snapshot().heapSummary());
        node.close();
    }
}
