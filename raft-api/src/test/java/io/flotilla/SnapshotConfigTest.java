package io.flotilla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SnapshotConfigTest {

    @Test
    void defaults_areValid_andRoundTripThroughBuilder() {
        SnapshotConfig d = SnapshotConfig.defaults();
        assertEquals(100_000, d.thresholdEntries());
        assertEquals(1 << 20, d.chunkBytes());
        assertEquals(d, d.toBuilder().build());
        assertEquals(d, RaftConfig.defaults().snapshots());
    }

    @Test
    void invalid_listsEveryViolation() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> SnapshotConfig.newBuilder()
                .thresholdEntries(-1).chunkBytes(10).maxInflightChunks(0).installRateBytesPerSecond(-5)
                .maxDeltaChain(-1).trailingEntries(-3).build());
        for (String field : new String[] {"thresholdEntries", "chunkBytes", "maxInflightChunks",
                "installRateBytesPerSecond", "maxDeltaChain", "trailingEntries"}) {
            assertTrue(e.getMessage().contains(field), e.getMessage());
        }
    }

    @Test
    void throttleBelowOneChunkPerSecond_isRejected() {
        assertThrows(InvalidConfigException.class,
                () -> SnapshotConfig.newBuilder().chunkBytes(1 << 20).installRateBytesPerSecond(1000).build());
    }

    @Test
    void raftConfig_rejectsNullSnapshots() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> RaftConfig.newBuilder().snapshots(null).build());
        assertTrue(e.getMessage().contains("snapshots"));
    }
}
