package io.flotilla.examples.kv;

import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.RaftNode;
import io.flotilla.core.Raft;
import io.flotilla.examples.kv.http.KvHttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One key-value node as a process: a Raft node (transport and store chosen by URI through
 * {@link java.util.ServiceLoader}) and its HTTP API. Stops cleanly on SIGTERM or Ctrl-C.
 *
 * <pre>
 * java -p &lt;module path&gt; -m io.flotilla.examples.kv/io.flotilla.examples.kv.KvNode \
 *     --id n1 --data /var/lib/kv/n1 \
 *     --member n1,grpc://127.0.0.1:7001,http://127.0.0.1:8001 \
 *     --member n2,grpc://127.0.0.1:7002,http://127.0.0.1:8002 \
 *     --member n3,grpc://127.0.0.1:7003,http://127.0.0.1:8003
 * </pre>
 * When the node and its API are up it prints one line {@code READY <id> <raft address> <http address>} on
 * standard output (the demo waits for it). Exit status 2 means bad arguments, 1 a failure to start.
 */
public final class KvNode {
    private KvNode() {}

    /** A member of the cluster: its id, Raft address and HTTP API address. */
    record Member(NodeId id, URI raft, URI http) {
        static Member parse(String spec) {
            String[] p = spec.split(",");
            if (p.length != 3) {
                throw new IllegalArgumentException("--member wants id,raftUri,httpUri; got " + spec);
            }
            URI http = URI.create(p[2]);
            if (!"http".equals(http.getScheme()) || http.getPort() < 0) {
                throw new IllegalArgumentException("the HTTP address must be http://host:port; got " + p[2]);
            }
            return new Member(NodeId.of(p[0]), URI.create(p[1]), http);
        }
    }

    /**
     * Runs a node until the process is told to stop.
     *
     * @param args see the class documentation
     * @throws Exception never on purpose: failures are reported and exit the process
     */
    public static void main(String[] args) throws Exception {
        String id = null;
        String cluster = "kv-demo";
        Path data = null;
        List<Member> members = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--id" -> id = value;
                    case "--cluster" -> cluster = value;
                    case "--data" -> data = value == null ? null : Path.of(value);
                    case "--member" -> members.add(Member.parse(value == null ? "" : value));
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
                i++;
            }
            if (id == null || data == null || members.isEmpty()) {
                throw new IllegalArgumentException("--id, --data and at least one --member are required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("kv node: " + e.getMessage());
            System.exit(2);
            return;
        }
        NodeId self = NodeId.of(id);
        Map<NodeId, URI> raft = new LinkedHashMap<>();
        Map<NodeId, URI> http = new LinkedHashMap<>();
        for (Member m : members) {
            raft.put(m.id(), m.raft());
            http.put(m.id(), m.http());
        }
        if (!http.containsKey(self)) {
            System.err.println("kv node: " + id + " is not among the members " + raft.keySet());
            System.exit(2);
            return;
        }
        Files.createDirectories(data);
        RaftNode node = Raft.newBuilder()
                .clusterId(ClusterId.of(cluster))
                .nodeId(self)
                .initialConfig(ClusterConfig.ofVoters(raft))
                .storage(data.toUri())
                .stateMachine(new KvStateMachine())
                .build();
        node.start();
        URI own = http.get(self);
        KvHttpServer api;
        try {
            api = KvHttpServer.start(node, new InetSocketAddress(own.getHost(), own.getPort()), http,
                    Duration.ofSeconds(5));
        } catch (IOException e) {
            node.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            node.close();
            stopped.countDown();
        }, "kv-shutdown"));
        System.out.println("READY " + id + " " + raft.get(self) + " " + api.address());
        System.out.flush();
        stopped.await();
    }
}
