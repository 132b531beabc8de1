package io.flotilla.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Role;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.HeartbeatResponse;
import io.flotilla.message.RaftMessage;
import io.flotilla.message.ReadIndexRequest;
import io.flotilla.message.ReadIndexResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Linearizable reads by ReadIndex (thesis §6.4) on the leader. */
class ReadIndexTest {
    private static Env elected(int n) {
        Env env = new Env();
        env.verbose = false;
        env.addNodes(n, List.of(), ProtocolTestSupport.config(true, true), 5, Set.of());
        env.campaign(Env.id(1));
        env.stabilize();
        return env;
    }

    private static List<Long> served(Env env) {
        List<Long> ids = new ArrayList<>();
        for (ReadState rs : env.node(Env.id(1)).servedReads) {
            ids.add(rs.readId());
        }
        return ids;
    }

    @Test
    void delayedAckOfAnOlderRound_confirmsOnlyReadsOfThatRound() {
        Env env = elected(3);
        env.p(1).readIndex(1);
        env.process(env.node(Env.id(1)));
        env.deliver(m -> m instanceof HeartbeatRequest);
        List<RaftMessage> round1Acks = new ArrayList<>(env.network);
        env.network.clear();
        env.p(1).readIndex(2);
        env.process(env.node(Env.id(1)));
        List<RaftMessage> round2 = new ArrayList<>(env.network);
        env.network.clear();
        // Acks of round 1 arrive late, after read 2 registered: they confirm read 1 only (etcd-io/raft #397).
        env.network.addAll(round1Acks);
        env.deliver(m -> true);
        assertEquals(List.of(1L), served(env));
        env.network.addAll(round2);
        env.stabilize();
        assertEquals(List.of(1L, 2L), served(env));
    }

    @Test
    void readsRegisteredTogether_shareOneHeartbeatRound() {
        Env env = elected(3);
        env.network.clear();
        env.p(1).readIndex(1);
        env.p(1).readIndex(2);
        env.p(1).readIndex(3);
        env.process(env.node(Env.id(1)));
        assertEquals(2, ProtocolTestSupport.ofType(env.network, HeartbeatRequest.class).size());
        env.stabilize();
        assertEquals(List.of(1L, 2L, 3L), served(env));
    }

    @Test
    void readIndex_isTheCommitIndexAtRegistration() {
        Env env = elected(3);
        env.propose(Env.id(1), "a");
        env.stabilize();
        env.p(1).readIndex(9);
        env.propose(Env.id(1), "b"); // commits after the read was registered: not needed by the read
        env.stabilize();
        ReadState rs = env.node(Env.id(1)).servedReads.get(0);
        assertEquals(2, rs.readIndex());
    }

    @Test
    void leaderWithoutQuorum_neverServesTheRead_andTellsWaitingFollowersOnStepDown() {
        Env env = elected(3);
        env.p(1).step(new ReadIndexRequest(Env.id(2), Env.id(1), 1, 77));
        env.p(1).readIndex(5);
        env.process(env.node(Env.id(1)));
        env.network.clear(); // heartbeats lost
        env.tick(Env.id(1), 25); // check-quorum: no answers for an election timeout
        assertEquals(Role.FOLLOWER, env.p(1).role());
        assertTrue(served(env).isEmpty());
        ReadIndexResponse refusal = ProtocolTestSupport.ofType(env.network, ReadIndexResponse.class).get(0);
        assertEquals(77, refusal.requestId());
        assertEquals(false, refusal.success());
    }

    @Test
    void ackFromAStaleTerm_isIgnored() {
        Env env = elected(3);
        env.p(1).readIndex(1);
        env.process(env.node(Env.id(1)));
        env.network.clear();
        env.p(1).step(new HeartbeatResponse(Env.id(2), Env.id(1), 0, 1, 1));
        env.process(env.node(Env.id(1)));
        assertTrue(served(env).isEmpty());
    }
}
