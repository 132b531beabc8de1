package io.flotilla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId C = NodeId.of("c");

    private static ClusterConfig threeVoters() {
        return ClusterConfig.ofVoters(Map.of(A, URI.create("mem://a"), B, URI.create("mem://b"), C, URI.create("mem://c")));
    }

    @Test
    void ofVoters_isSimple_andIteratesInIdOrder() {
        ClusterConfig c = threeVoters();
        assertFalse(c.isJoint());
        assertEquals(List.of(A, B, C), List.copyOf(c.voters()));
        assertTrue(c.isVoter(B) && c.contains(B));
    }

    @Test
    void builder_learnerThenPromote_movesBetweenSets() {
        ClusterConfig c = threeVoters().toBuilder().addLearner(NodeId.of("d"), URI.create("mem://d")).build();
        assertEquals(Set.of(NodeId.of("d")), c.learners());
        assertFalse(c.isVoter(NodeId.of("d")));
        ClusterConfig promoted = c.toBuilder().addVoter(NodeId.of("d"), URI.create("mem://d")).build();
        assertTrue(promoted.isVoter(NodeId.of("d")));
        assertTrue(promoted.learners().isEmpty());
        ClusterConfig removed = promoted.toBuilder().remove(A).build();
        assertFalse(removed.contains(A));
        assertEquals(3, removed.voters().size());
    }

    @Test
    void joint_isExpressible_andRoundTrips() {
        ClusterConfig joint = threeVoters().toBuilder().outgoingVoters(Set.of(A, B, C)).remove(C)
                .addVoter(NodeId.of("d"), URI.create("mem://d")).build();
        assertTrue(joint.isJoint());
        assertTrue(joint.isVoter(C), "outgoing voter still votes while joint");
        assertEquals(joint, ClusterConfig.fromBytes(joint.toBytes()));
    }

    @Test
    void constructor_reportsEveryProblemAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClusterConfig(
                new TreeSet<>(), new TreeSet<>(Set.of(A)), new TreeSet<>(), new TreeMap<>(Map.of(B, URI.create("mem://b")))));
        assertTrue(e.getMessage().contains("voters must not be empty"), e.getMessage());
        assertTrue(e.getMessage().contains("member a has no address"), e.getMessage());
        assertTrue(e.getMessage().contains("non-member b"), e.getMessage());
    }

    @Test
    void fromBytes_rejectsEveryTruncationAndGarbage_withIllegalArgument() {
        byte[] good = threeVoters().toBytes().toByteArray();
        for (int len = 0; len < good.length; len++) {
            Bytes cut = Bytes.copyOf(good, 0, len);
            assertThrows(IllegalArgumentException.class, () -> ClusterConfig.fromBytes(cut), "length " + len);
        }
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertThrows(IllegalArgumentException.class, () -> ClusterConfig.fromBytes(Bytes.copyOf(trailing)));
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 2000; i++) {
            byte[] mutated = good.clone();
            mutated[rnd.nextInt(mutated.length)] ^= (byte) (1 << rnd.nextInt(8));
            try {
                ClusterConfig.fromBytes(Bytes.copyOf(mutated));
            } catch (IllegalArgumentException expected) {
                // decoding either succeeds (a flip inside a name) or fails with the typed error; nothing else
            } catch (RuntimeException other) {
                throw new AssertionError("seed " + seed + ": unexpected " + other, other);
            }
        }
    }
}
