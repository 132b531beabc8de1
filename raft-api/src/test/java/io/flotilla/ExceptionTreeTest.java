package io.flotilla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExceptionTreeTest {
    @Test
    void retrySafety_isDeclaredPerType() {
        assertTrue(new NotLeaderException(NodeId.of("a"), Optional.empty()).isRetrySafe());
        assertTrue(new ProposalDroppedException("full").isRetrySafe());
        assertFalse(new IndeterminateStateException("lost leadership", 7, null).isRetrySafe());
        assertTrue(new RaftStoppedException("closed").isRetrySafe());
        assertTrue(new LeadershipTransferException("timeout").isRetrySafe());
        assertFalse(new ProviderSelectionException("none").isRetrySafe());
    }

    @Test
    void notLeader_carriesHint_inValueAndMessage() {
        NotLeaderException e = new NotLeaderException(NodeId.of("a"), Optional.of(NodeId.of("b")));
        assertEquals(Optional.of(NodeId.of("b")), e.leaderHint());
        assertEquals("node a is not the leader; leader is b", e.getMessage());
    }

    @Test
    void allAreUnchecked_underRaftException() {
        RuntimeException e = new NodeFailedException("fsync failed", new java.io.IOException("EIO"));
        assertTrue(e instanceof RaftException);
    }
}
