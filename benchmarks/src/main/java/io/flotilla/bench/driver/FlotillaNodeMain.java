package io.flotilla.bench.driver;

import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.RaftNode;
import io.flotilla.core.Raft;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A follower node in a child JVM for the driver's 3-process mode. Its election timeout is 20 times the default, so
 * the driver's node {@code n1} wins the election and the closed-loop clients in the driver talk to a local leader
 * (leadership transfer is not implemented yet). It runs until its
 * standard input closes (the driver exits or destroys it) and then prints its heap and GC figures.
 *
 * <pre>{@code java -cp ... io.flotilla.bench.driver.FlotillaNodeMain <cluster> <node> <storageUri> <id=uri>...}</pre>
 */
public final class FlotillaNodeMain {
    private FlotillaNodeMain() {}

    /** Child JVM flags: the same heap budget as a node of the one-JVM run, so figures compare. */
    static final String CHILD_HEAP = "-Xmx256m";

    static Process spawn(ClusterId cluster, NodeId id, ClusterConfig config, URI storage)
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
        config.addresses().forEach((n, uri) -> cmd.add(n.value() + "=" + uri));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /**
     * Runs one node.
     *
     * @param args cluster id, node id, storage URI, then {@code id=uri} members
     * @throws Exception if the node cannot start
     */
    public static void main(String[] args) throws Exception {
        ClusterId cluster = ClusterId.of(args[0]);
        NodeId self = NodeId.of(args[1]);
        URI storage = URI.create(args[2]);
        Map<NodeId, URI> members = new TreeMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            members.put(NodeId.of(kv[0]), URI.create(kv[1]));
        }
        // The leader must be n1, in the driver's JVM, where the clients are. Leadership transfer is not
        // implemented yet, so the children wait 20 times longer than n1 before they campaign: n1 wins the first
        // election (pre-vote is on, so the children do not disturb it later).
        RaftConfig defaults = RaftConfig.defaults();
        RaftConfig patient = defaults.toBuilder().electionTicks(defaults.electionTicks() * 20).build();
        RaftNode node = Raft.newBuilder().clusterId(cluster).nodeId(self)
                .initialConfig(ClusterConfig.ofVoters(members)).stateMachine(new KvStateMachine())
                .config(patient).storage(storage).build();
        node.start();
        while (System.in.read() >= 0) {
            // Wait for the driver to close our standard input.
        }
        System.err.println("[" + self + "] " + JvmStats.snapshot().heapSummary());
        node.close();
    }
}
