package io.flotilla.core.internal.protocol;

import static io.flotilla.core.internal.protocol.ProtocolTestSupport.N1;
import static io.flotilla.core.internal.protocol.ProtocolTestSupport.N2;
import static io.flotilla.core.internal.protocol.ProtocolTestSupport.N3;
import static io.flotilla.core.internal.protocol.ProtocolTestSupport.config;
import static io.flotilla.core.internal.protocol.ProtocolTestSupport.disk;
import static io.flotilla.core.internal.protocol.ProtocolTestSupport.drain;
import static io.flotilla.core.internal.protocol.ProtocolTestSupport.entries;
import static io.flotilla.core.internal.protocol.ProtocolTestSupport.node;
import static io.flotilla.core.internal.protocol.ProtocolTestSupport.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.RaftConfig;
import io.flotilla.message.AppendEntriesRequest;
import io.flotilla.message.AppendEntriesResponse;
import io.flotilla.message.VoteRequest;
import io.flotilla.message.VoteResponse;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each {@link SeededBug} re-introduces exactly the bug its Javadoc names: behaviour differs with it on. */
class SeededBugTest {
    private static final RaftConfig PLAIN = config(false, false);

    private static Set<SeededBug> bugs(boolean on, SeededBug bug) {
        return on ? EnumSet.of(bug) : EnumSet.noneOf(SeededBug.class);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void commitPreviousTermByCounting_commitsAnOldEntryOnAMajority(boolean on) {
        MemoryStableLog ld = disk(2, 1, 2);
        RaftProtocol leader = node(N1, 3, PLAIN, ld, bugs(on, SeededBug.COMMIT_PREVIOUS_TERM_BY_COUNTING));
        leader.elections.campaign(Elections.Kind.ELECTION);
        drain(leader, ld);
        leader.step(new VoteResponse(N2, N1, 3, true));
        drain(leader, ld);
        leader.step(new AppendEntriesResponse(N2, N1, 3, true, 2, 0, 0, 0, 2));
        assertEquals(on ? 2 : 0, leader.commitIndex());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void voteBeforePersist_sendsTheGrantWithoutWaitingForDurability(boolean on) {
        MemoryStableLog d = disk(0);
        RaftProtocol p = node(N2, 3, PLAIN, d, bugs(on, SeededBug.VOTE_BEFORE_PERSIST));
        p.step(new VoteRequest(N1, N2, 1, 0, 0, false));
        Ready rd = p.ready();
        assertEquals(on, !ofType(rd.messagesNow(), VoteResponse.class).isEmpty());
        assertEquals(!on, !ofType(rd.messagesAfterPersist(), VoteResponse.class).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void upToDateByIndexOnly_grantsALongerLogWithAnOlderLastTerm(boolean on) {
        MemoryStableLog d = disk(3, 1, 3);
        RaftProtocol p = node(N3, 3, PLAIN, d, bugs(on, SeededBug.UP_TO_DATE_BY_INDEX_ONLY));
        p.step(new VoteRequest(N1, N3, 4, 5, 1, false));
        VoteResponse r = ofType(ProtocolTestSupport.messages(drain(p, d)), VoteResponse.class).get(0);
        assertEquals(on, r.granted());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void leaderAckBeforeDurable_commitsWhileTheLeadersWriteIsInFlight(boolean on) {
        MemoryStableLog d = disk(0);
        RaftProtocol p = node(N1, 1, PLAIN, d, bugs(on, SeededBug.LEADER_ACK_BEFORE_DURABLE));
        p.elections.campaign(Elections.Kind.ELECTION);
        Ready rd = p.ready(); // not persisted, persisted() not called
        p.advance(rd);
        assertEquals(on ? 1 : 0, p.commitIndex());
        assertEquals(on, !rd.committedEntries().isEmpty() || p.hasReady() && !p.ready().committedEntries().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void followerCommitBeyondLastNew_commitsStaleLeftovers(boolean on) {
        MemoryStableLog d = disk(1, 1, 1, 1, 1);
        RaftProtocol p = node(N2, 3, PLAIN, d, bugs(on, SeededBug.FOLLOWER_COMMIT_BEYOND_LAST_NEW));
        p.step(new AppendEntriesRequest(N1, N2, 2, 1, 1, entries(2, 1), 4));
        assertEquals(on ? 4 : 2, p.commitIndex());
    }

    @Test
    void noBugs_areEnabledByDefault() {
        RaftProtocol p = node(N1, 3, PLAIN, disk(0));
        assertFalse(p.bugCommitPreviousTerm || p.bugVoteBeforePersist || p.bugUpToDateByIndexOnly
                || p.bugLeaderAckBeforeDurable || p.bugFollowerCommitBeyondLastNew);
        assertTrue(p.params.seededBugs().isEmpty());
    }
}
