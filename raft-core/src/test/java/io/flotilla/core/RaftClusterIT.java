package io.flotilla.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.NodeFailedException;
import io.flotilla.NodeId;
import io.flotilla.ProposalResult;
import io.flotilla.RaftNode;
import io.flotilla.Role;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three real nodes (threads, clock) on in-memory network and storage, assembled through {@link Raft#newBuilder()}.
 * The one place where real time is used: every wait polls with a deadline ({@link TestCluster#WAIT}).
 */
class RaftClusterIT {


    @Test
    void cluster_concurrentProposals_appliedIdenticallyEverywhere_andReadIsLinearizable() throws Exception {
        try (TestCluster cluster = new TestCluster(3)) {
            cluster.startAll();
            RaftNode leader = cluster.awaitLeader();

            int clients = 4;
            int perClient = 250;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<List<CompletableFuture<ProposalResult>>>> submitted = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<ProposalResult>> fs = new ArrayList<>();
                    for (int i = 0; i < perClient; i++) {
                        fs.add(leader.propose(Bytes.ofUtf8("set k" + (client * perClient + i) + " v" + i)));
                    }
                    return fs;
                }));
            }
            int retried = 0;
            Set<Long> indices = new TreeSet<>();
            for (int c = 0; c < clients; c++) {
                List<CompletableFuture<ProposalResult>> fs = submitted.get(c).get(30, TimeUnit.SECONDS);
                for (int i = 0; i < fs.size(); i++) {
                    try {
                        indices.add(fs.get(i).get(30, TimeUnit.SECONDS).logIndex());
                    } catch (ExecutionException e) {
                        // Only if leadership moved (a long GC pause on a loaded machine): retry, commands are idempotent.
                        retried++;
                        indices.add(cluster.propose("set k" + (c * perClient + i) + " v" + i).logIndex());
                    }
                }
            }
            pool.shutdown();
            assertEquals(clients * perClient, indices.size(), "every proposal got its own log index");

            cluster.awaitConverged();
            for (NodeId id : cluster.nodes.keySet()) {
                KvStateMachine m = cluster.machines.get(id);
                for (int k = 0; k < clients * perClient; k++) {
                    assertEquals("v" + (k % perClient), m.get("k" + k), id + " key k" + k);
                }
            }
            List<String> order = cluster.machines.get(NodeId.of("n1")).appliedCommands();
            assertTrue(order.size() >= clients * perClient);
            System.out.println("1000 proposals applied identically on 3 nodes; retried after leader change: " + retried);

            cluster.propose("set x 1");
            ProposalResult last = cluster.propose("set x 2");
            RaftNode current = cluster.awaitLeader();
            assertEquals("2", current.read(Bytes.ofUtf8("get x")).get(30, TimeUnit.SECONDS).utf8(),
                    "a read after a completed write sees it");
            assertTrue(current.status().appliedIndex() >= last.logIndex());
        }
    }

    @Test
    void cluster_leaderClosed_newLeaderServes_andRestartedNodeCatchesUp() throws Exception {
        try (TestCluster cluster = new TestCluster(3)) {
            cluster.startAll();
            for (int i = 0; i < 20; i++) {
                cluster.propose("set a" + i + " " + i);
            }
            RaftNode oldLeader = cluster.awaitLeader();
            NodeId oldId = oldLeader.id();
            cluster.stop(oldId);
            assertEquals(Role.STOPPED, oldLeader.status().role());

            RaftNode newLeader = cluster.awaitLeader();
            assertNotEquals(oldId, newLeader.id());
            for (int i = 20; i < 40; i++) {
                cluster.propose("set a" + i + " " + i);
            }

            RaftNode restarted = cluster.start(oldId);
            cluster.awaitConverged();
            KvStateMachine m = cluster.machines.get(oldId);
            for (int i = 0; i < 40; i++) {
                assertEquals(Integer.toString(i), m.get("a" + i), "restarted node caught up on a" + i);
            }
            assertTrue(restarted.status().appliedIndex() >= 40);
            cluster.propose("set after-restart yes");
            cluster.awaitConverged();
            assertEquals("yes", m.get("after-restart"));
        }
    }

    @Test
    void cluster_leaderFsyncFails_leaderFailsAndClusterReelects() throws Exception {
        try (TestCluster cluster = new TestCluster(3)) {
            cluster.startAll();
            cluster.propose("set b 1");
            RaftNode leader = cluster.awaitLeader();
            cluster.storages.get(leader.id()).failNextWrite(new IOException("fsync: EIO (injected)"));

            CompletableFuture<ProposalResult> doomed = leader.propose(Bytes.ofUtf8("set b 2"));
            TestCluster.awaitTrue(() -> leader.status().role() == Role.FAILED, "the leader to fail");
            assertTrue(leader.status().failure().orElseThrow().contains("fsync: EIO"));
            Throwable t = assertThrowsExecution(doomed);
            assertTrue(t instanceof io.flotilla.IndeterminateStateException || t instanceof NodeFailedException, t.toString());
            assertInstanceOf(NodeFailedException.class, assertThrowsExecution(leader.propose(Bytes.ofUtf8("set b 3"))));

            cluster.nodes.remove(leader.id()); // failed: no longer counted as a live candidate
            RaftNode next = cluster.awaitLeader();
            assertNotEquals(leader.id(), next.id());
            cluster.propose("set b 4");
            assertEquals("4", next.read(Bytes.ofUtf8("get b")).get(30, TimeUnit.SECONDS).utf8());
            leader.close();
        }
    }

    private static Throwable assertThrowsExecution(CompletableFuture<?> f) {
        return org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> f.get(30, TimeUnit.SECONDS)).getCause();
    }
}
