package io.flotilla.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.RaftNode;
import io.flotilla.SnapshotConfig;
import io.flotilla.SnapshotMeta;
import io.flotilla.spi.SnapshotReader;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Snapshots end to end on three real nodes (§7): snapshots taken by policy, incremental ones merged, the log
 * compacted, a follower that was down while the leader compacted caught up by a chunked InstallSnapshot, and a
 * full-cluster restart recovered from snapshot + log suffix. Real threads and clock; waits poll with a deadline.
 */
class SnapshotClusterIT {
    private static final RaftConfig SNAPSHOTTING = TestCluster.TUNING.toBuilder()
            .snapshots(SnapshotConfig.newBuilder().thresholdEntries(40).trailingEntries(5).chunkBytes(1024)
                    .maxInflightChunks(2).maxDeltaChain(3).build())
            .build();
    private static final String FILLER = "x".repeat(100);


    @Test
    void laggingFollower_isCaughtUpByInstallSnapshot_andRestartRecoversFromSnapshotPlusLog() throws Exception {
        try (TestCluster cluster = new TestCluster(3, SNAPSHOTTING)) {
            cluster.startAll();
            for (int i = 0; i < 60; i++) {
                cluster.propose("set k" + i + " " + i + FILLER);
            }
            RaftNode leader = cluster.awaitLeader();
            NodeId lagging = cluster.nodes.keySet().stream().filter(id -> !id.equals(leader.id())).findFirst()
                    .orElseThrow();
            cluster.stop(lagging);
            for (int i = 60; i < 400; i++) {
                cluster.propose("set k" + (i % 250) + " " + i + FILLER);
            }
            RaftNode current = cluster.awaitLeader();
            TestCluster.awaitTrue(() -> current.status().snapshotIndex() >= 300, "the leader to snapshot");
            long first = cluster.storages.get(current.id()).log().firstIndex();
            assertTrue(first > 60, "the leader compacted its log past what the lagging follower has: " + first);

            cluster.start(lagging);
            cluster.awaitSameState();
            KvStateMachine m = cluster.machines.get(lagging);
            for (int k = 0; k < 250; k++) {
                int last = k + 250 < 400 ? k + 250 : k; // the last write of key k
                assertEquals(last + FILLER, m.get("k" + k), "k" + k);
            }
            assertTrue(!m.appliedIndices().contains(first - 1),
                    "entry " + (first - 1) + ", compacted on the leader, reached the lagging follower in a snapshot");
            try (SnapshotReader r = cluster.storages.get(lagging).snapshots().openLatest().orElseThrow()) {
                assertTrue(r.meta().lastIncludedIndex() > 60, "the follower stored the leader's snapshot");
            }
            int[] counts = cluster.machines.get(current.id()).snapshotCounts();
            assertTrue(counts[0] > 0, "incremental snapshots were taken: " + counts[0]);

            SnapshotMeta taken = current.takeSnapshot().get(30, TimeUnit.SECONDS);
            assertTrue(taken.lastIncludedIndex() >= 400, "takeSnapshot covers what was applied: " + taken);

            for (NodeId id : java.util.List.copyOf(cluster.nodes.keySet())) {
                cluster.stop(id);
            }
            cluster.startAll();
            cluster.propose("set after restart");
            cluster.awaitSameState();
            for (NodeId id : cluster.nodes.keySet()) {
                assertEquals(cluster.machines.get(current.id()).get("k7"), cluster.machines.get(id).get("k7"));
                assertEquals("restart", cluster.machines.get(id).get("after"));
            }
        }
    }
}
