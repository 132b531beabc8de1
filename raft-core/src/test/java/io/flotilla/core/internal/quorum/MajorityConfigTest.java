package io.flotilla.core.internal.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flotilla.NodeId;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MajorityConfigTest {
    static MajorityConfig of(String... ids) {
        TreeSet<NodeId> s = new TreeSet<>();
        for (String id : ids) {
            s.add(NodeId.of(id));
        }
        return new MajorityConfig(s);
    }

    static AckedIndexer acked(Object... pairs) {
        Map<NodeId, Long> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(NodeId.of((String) pairs[i]), ((Number) pairs[i + 1]).longValue());
        }
        return id -> m.getOrDefault(id, 0L);
    }

    static VoteSource votes(Object... pairs) {
        Map<NodeId, Boolean> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(NodeId.of((String) pairs[i]), (Boolean) pairs[i + 1]);
        }
        return id -> m.containsKey(id) ? (m.get(id) ? VoteSource.GRANTED : VoteSource.REJECTED) : VoteSource.MISSING;
    }

    @Test
    void quorum_isMoreThanHalf() {
        assertEquals(1, of("a").quorum());
        assertEquals(2, of("a", "b").quorum());
        assertEquals(2, of("a", "b", "c").quorum());
        assertEquals(3, of("a", "b", "c", "d").quorum());
        assertEquals(3, of("a", "b", "c", "d", "e").quorum());
    }

    @Test
    void committedIndex_isTheLargestIndexAMajorityHas() {
        assertEquals(5, of("a").committedIndex(acked("a", 5)));
        assertEquals(3, of("a", "b", "c").committedIndex(acked("a", 5, "b", 3, "c", 1)));
        assertEquals(1, of("a", "b", "c").committedIndex(acked("a", 5, "c", 1)));
        assertEquals(0, of("a", "b", "c").committedIndex(acked("a", 5)));
        assertEquals(2, of("a", "b", "c", "d").committedIndex(acked("a", 5, "b", 4, "c", 2, "d", 1)));
        assertEquals(4, of("a", "b", "c", "d", "e").committedIndex(acked("a", 9, "b", 4, "c", 4, "d", 1)));
    }

    @Test
    void committedIndex_ofEmptyConfig_isUnbounded() {
        assertEquals(Long.MAX_VALUE, MajorityConfig.empty().committedIndex(acked()));
    }

    @Test
    void voteResult_countsGrantsRejectionsAndMissing() {
        MajorityConfig c = of("a", "b", "c");
        assertEquals(VoteResult.PENDING, c.voteResult(votes("a", true)));
        assertEquals(VoteResult.WON, c.voteResult(votes("a", true, "c", true)));
        assertEquals(VoteResult.PENDING, c.voteResult(votes("a", true, "b", false)));
        assertEquals(VoteResult.LOST, c.voteResult(votes("a", true, "b", false, "c", false)));
        assertEquals(VoteResult.LOST, of("a", "b", "c", "d").voteResult(votes("a", true, "b", true, "c", false, "d", false)));
        assertEquals(VoteResult.WON, MajorityConfig.empty().voteResult(votes()));
    }

    @Test
    void voteResult_ignoresNonVoters() {
        assertEquals(VoteResult.PENDING, of("a", "b", "c").voteResult(votes("a", true, "x", true, "y", true)));
    }
}
