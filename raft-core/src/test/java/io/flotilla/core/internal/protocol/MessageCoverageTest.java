package io.flotilla.core.internal.protocol;

import static io.flotilla.core.internal.protocol.ProtocolTestSupport.N1;
import static io.flotilla.core.internal.protocol.ProtocolTestSupport.N2;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flotilla.Bytes;
import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import io.flotilla.message.AppendEntriesRequest;
import io.flotilla.message.AppendEntriesResponse;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.HeartbeatResponse;
import io.flotilla.message.InstallSnapshotRequest;
import io.flotilla.message.InstallSnapshotResponse;
import io.flotilla.message.PreVoteRequest;
import io.flotilla.message.PreVoteResponse;
import io.flotilla.message.RaftMessage;
import io.flotilla.message.ReadIndexRequest;
import io.flotilla.message.ReadIndexResponse;
import io.flotilla.message.TimeoutNow;
import io.flotilla.message.VoteRequest;
import io.flotilla.message.VoteResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every message type the sealed {@link RaftMessage} permits is handled by {@link RaftProtocol#step}. */
class MessageCoverageTest {
    /** A sample of each message type, from {@code from} to {@code to} at a term. */
    static Map<Class<?>, BiFunction<NodeId, Long, RaftMessage>> samples(NodeId to) {
        Map<Class<?>, BiFunction<NodeId, Long, RaftMessage>> m = new LinkedHashMap<>();
        m.put(PreVoteRequest.class, (f, t) -> new PreVoteRequest(f, to, t, 0, 0));
        m.put(PreVoteResponse.class, (f, t) -> new PreVoteResponse(f, to, t, true));
        m.put(VoteRequest.class, (f, t) -> new VoteRequest(f, to, t, 0, 0, false));
        m.put(VoteResponse.class, (f, t) -> new VoteResponse(f, to, t, true));
        m.put(AppendEntriesRequest.class, (f, t) -> new AppendEntriesRequest(f, to, t, 0, 0, List.of(), 0));
        m.put(AppendEntriesResponse.class, (f, t) -> new AppendEntriesResponse(f, to, t, true, 0, 0, 0, 0, 0));
        m.put(HeartbeatRequest.class, (f, t) -> new HeartbeatRequest(f, to, t, 0, 0));
        m.put(HeartbeatResponse.class, (f, t) -> new HeartbeatResponse(f, to, t, 0, 0));
        m.put(InstallSnapshotRequest.class, (f, t) -> new InstallSnapshotRequest(f, to, t,
                new SnapshotMeta(5, 1, ProtocolTestSupport.voters(3)), 0, Bytes.EMPTY, 0, true, 0));
        m.put(InstallSnapshotResponse.class, (f, t) -> new InstallSnapshotResponse(f, to, t, 5, 0, true, true));
        m.put(TimeoutNow.class, (f, t) -> new TimeoutNow(f, to, t));
        m.put(ReadIndexRequest.class, (f, t) -> new ReadIndexRequest(f, to, t, 1));
        m.put(ReadIndexResponse.class, (f, t) -> new ReadIndexResponse(f, to, t, 1, true, 0));
        return m;
    }

    @Test
    void step_everyPermittedMessageType_isHandledInEveryRoleAndTermRelation() {
        Set<Class<?>> permitted = Arrays.stream(RaftMessage.class.getPermittedSubclasses()).collect(Collectors.toSet());
        assertEquals(permitted, samples(N1).keySet(), "a new message type needs a sample here and a handler in step()");
        for (Class<?> type : permitted) {
            for (int role = 0; role < 3; role++) {
                for (long delta = -1; delta <= 1; delta++) {
                    Env env = new Env();
                    env.addNodes(3, List.of(), ProtocolTestSupport.config(true, true), 3, Set.of());
                    if (role >= 1) {
                        env.campaign(Env.id(1));
                    }
                    if (role == 2) {
                        env.stabilize();
                    }
                    RaftProtocol p = env.p(1);
                    long term = Math.max(0, p.term() + delta);
                    RaftMessage msg = samples(N1).get(type).apply(N2, term);
                    String what = type.getSimpleName() + " to " + p.role() + " at term delta " + delta;
                    assertDoesNotThrow(() -> {
                        p.step(msg);
                        env.process(env.node(Env.id(1)));
                    }, what);
                }
            }
        }
    }

    @Test
    void step_installSnapshotChunk_fromCurrentLeader_isHandedToTheDriver_notAnsweredByTheCore() {
        Env env = new Env();
        env.addNodes(3, List.of(), ProtocolTestSupport.config(false, false), 3, Set.of());
        RaftProtocol p = env.p(2);
        InstallSnapshotRequest chunk = (InstallSnapshotRequest) samples(N2).get(InstallSnapshotRequest.class)
                .apply(N1, 1L);
        p.step(chunk);
        Ready rd = p.ready();
        assertEquals(List.of(chunk), rd.snapshotChunks(), "the driver's receiver writes the chunk");
        assertEquals(List.of(), ProtocolTestSupport.ofType(ProtocolTestSupport.messages(rd),
                InstallSnapshotResponse.class), "acks come from the receiver once the chunk is written");
        assertEquals(java.util.Optional.of(N1), p.leader(), "a chunk asserts the sender's leadership (§5.2)");
    }

    @Test
    void step_installSnapshot_staleTerm_isRejectedWithTheCurrentTerm() {
        Env env = new Env();
        env.addNodes(3, List.of(), ProtocolTestSupport.config(false, false), 3, Set.of());
        RaftProtocol p = env.p(2);
        p.step(samples(N2).get(InstallSnapshotRequest.class).apply(N1, 3L));
        p.advance(p.ready());
        p.step(samples(N2).get(InstallSnapshotRequest.class).apply(N1, 2L));
        Ready rd = p.ready();
        InstallSnapshotResponse r = ProtocolTestSupport.ofType(ProtocolTestSupport.messages(rd),
                InstallSnapshotResponse.class).get(0);
        assertEquals(false, r.accepted());
        assertEquals(false, r.installed());
        assertEquals(3, r.term());
        assertEquals(List.of(), rd.snapshotChunks());
    }
}
