package io.flotilla.core.internal.quorum;

import static io.flotilla.core.internal.quorum.MajorityConfigTest.acked;
import static io.flotilla.core.internal.quorum.MajorityConfigTest.of;
import static io.flotilla.core.internal.quorum.MajorityConfigTest.votes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.ClusterConfig;
import io.flotilla.NodeId;
import java.net.URI;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class JointConfigTest {
    private final JointConfig joint = new JointConfig(of("c", "d", "e"), of("a", "b", "c"));

    @Test
    void committedIndex_needsMajoritiesOfBothHalves() {
        // incoming {c,d,e}: 7 on c,d -> 7; outgoing {a,b,c}: only c has 7, a has 3 -> 3
        assertEquals(3, joint.committedIndex(acked("a", 3, "c", 7, "d", 7, "e", 1)));
        assertEquals(7, joint.committedIndex(acked("a", 7, "c", 7, "d", 7)));
    }

    @Test
    void simpleConfig_behavesLikeItsMajority() {
        JointConfig simple = new JointConfig(of("a", "b", "c"), MajorityConfig.empty());
        assertEquals(5, simple.committedIndex(acked("a", 5, "b", 5)));
        assertEquals(VoteResult.WON, simple.voteResult(votes("a", true, "b", true)));
    }

    @Test
    void voteResult_wonOnlyIfBothWon_lostIfEitherLost() {
        assertEquals(VoteResult.PENDING, joint.voteResult(votes("c", true, "d", true)));
        assertEquals(VoteResult.WON, joint.voteResult(votes("c", true, "d", true, "a", true)));
        assertEquals(VoteResult.LOST, joint.voteResult(votes("c", true, "d", true, "a", false, "b", false)));
        assertEquals(VoteResult.LOST, joint.voteResult(votes("a", true, "b", true, "d", false, "e", false)));
    }

    @Test
    void of_clusterConfig_usesOutgoingVotersOnlyWhenJoint() {
        TreeMap<NodeId, URI> addr = new TreeMap<>();
        for (String s : List.of("a", "b", "c", "d")) {
            addr.put(NodeId.of(s), URI.create("mem://" + s));
        }
        ClusterConfig cfg = new ClusterConfig(set("c", "d"), set(), set("a", "b"), addr);
        JointConfig j = JointConfig.of(cfg);
        assertTrue(j.isVoter(NodeId.of("a")));
        assertEquals(4, j.voters().size());
        assertEquals(VoteResult.PENDING, j.voteResult(votes("c", true, "d", true)));
        addr.remove(NodeId.of("b"));
        ClusterConfig simple = new ClusterConfig(set("c", "d"), set("a"), set(), addr);
        assertFalse(JointConfig.of(simple).isVoter(NodeId.of("a")), "learners never vote");
    }

    private static TreeSet<NodeId> set(String... ids) {
        TreeSet<NodeId> s = new TreeSet<>();
        for (String id : ids) {
            s.add(NodeId.of(id));
        }
        return s;
    }
}
