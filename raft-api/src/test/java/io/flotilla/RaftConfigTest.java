package io.flotilla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RaftConfigTest {
    @Test
    void defaults_areValid_andDocumentedValues() {
        RaftConfig c = RaftConfig.defaults();
        assertEquals(Duration.ofMillis(10), c.tickInterval());
        assertEquals(30, c.electionTicks());
        assertEquals(5, c.heartbeatTicks());
        assertTrue(c.preVote() && c.checkQuorum());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void build_reportsEveryViolationAtOnce() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> RaftConfig.newBuilder()
                .tickInterval(Duration.ZERO).heartbeatTicks(0).electionTicks(0).maxAppendEntries(0)
                .maxAppendBytes(10).maxInflightBytes(5).maxInflightAppends(0).maxCommandBytes(-1)
                .maxPendingProposals(0).build());
        assertEquals(8, e.violations().size(), e.getMessage());
        assertTrue(e.getMessage().startsWith("invalid RaftConfig (8 problems): "), e.getMessage());
    }

    @Test
    void electionTicks_mustExceedHeartbeatTicks() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> RaftConfig.newBuilder().electionTicks(5).heartbeatTicks(5).build());
        assertEquals(1, e.violations().size());
    }
}
