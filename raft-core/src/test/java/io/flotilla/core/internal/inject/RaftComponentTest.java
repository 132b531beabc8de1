package io.flotilla.core.internal.inject;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.RaftEventListener;
import io.flotilla.core.KvStateMachine;
import io.flotilla.core.internal.loop.EventLoopRaftNode;
import io.flotilla.core.internal.loop.NodeSpec;
import io.flotilla.core.internal.loop.ThreadedRuntime;
import io.flotilla.testkit.mem.MemNetwork;
import io.flotilla.testkit.mem.MemStorage;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RaftComponentTest {
    private static final NodeId N1 = NodeId.of("n1");

    private static NodeSpec spec(MemNetwork net) {
        return new NodeSpec(ClusterId.of("c"), N1, ClusterConfig.ofVoters(Map.of(N1, URI.create("mem://n1"))),
                RaftConfig.defaults(), new KvStateMachine(), net.transport(ClusterId.of("c"), N1),
                MemStorage.create(N1), new ThreadedRuntime(N1), RaftEventListener.NONE, Set.of());
    }

    @Test
    void component_isScopedPerNode() {
        try (MemNetwork net = MemNetwork.create()) {
            RaftComponent one = RaftComponent.create(spec(net));
            EventLoopRaftNode a = one.node();
            assertSame(a, one.node(), "one node, one loop, one pipeline set per component");
            EventLoopRaftNode b = RaftComponent.create(spec(net)).node();
            assertNotSame(a, b, "components share nothing");
            a.close();
            b.close();
        }
    }
}
