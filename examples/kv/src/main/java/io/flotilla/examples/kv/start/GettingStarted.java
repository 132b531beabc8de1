package io.flotilla.examples.kv.start;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.RaftNode;
import io.flotilla.Role;
import io.flotilla.core.Raft;
import io.flotilla.examples.kv.KvCommand;
import io.flotilla.examples.kv.KvResult;
import io.flotilla.examples.kv.KvStateMachine;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The embedding example of {@code docs/getting-started.md}, which includes the code between the {@code [start]}
 * and {@code [end]} markers verbatim; {@code GettingStartedIT} runs it and checks that the page still quotes it.
 * Three nodes in one JVM over gRPC on 127.0.0.1 and the file store: one write, one linearizable read.
 */
public final class GettingStarted {
    private GettingStarted() {}

    /**
     * Runs the example.
     *
     * @param dataDir where the three nodes keep their stores
     * @param ports three free TCP ports for the nodes' gRPC transports
     * @return the value read back ("world")
     * @throws Exception if the cluster does not answer
     */
    public static String run(Path dataDir, int... ports) throws Exception {
        // [start]
        Map<NodeId, URI> members = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
            members.put(NodeId.of("n" + (i + 1)), URI.create("grpc://127.0.0.1:" + ports[i]));
        }
        List<RaftNode> nodes = new ArrayList<>();
        for (NodeId id : members.keySet()) {
            RaftNode node = Raft.newBuilder()
                    .clusterId(ClusterId.of("getting-started"))
                    .nodeId(id)
                    .initialConfig(ClusterConfig.ofVoters(members))        // grpc:// -> the gRPC transport
                    .storage(dataDir.resolve(id.value()).toUri())          // file:   -> the file store
                    .stateMachine(new KvStateMachine())
                    .build();
            node.start();
            nodes.add(node);
        }
        try {
            RaftNode leader;
            while ((leader = nodes.stream().filter(n -> n.status().role() == Role.LEADER).findAny().orElse(null)) == null) {
                Thread.sleep(10);                                           // until the first election is won
            }
            leader.propose(new KvCommand.Put("hello", Bytes.ofUtf8("world")).encode()).get(10, TimeUnit.SECONDS);
            Bytes answer = leader.read(new KvCommand.Get("hello").encode()).get(10, TimeUnit.SECONDS);
            return KvResult.decode(answer).value().orElseThrow().utf8();
        } finally {
            nodes.forEach(RaftNode::close);
        }
        // [end]
    }
}
