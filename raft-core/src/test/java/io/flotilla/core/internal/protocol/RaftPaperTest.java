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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.NotLeaderException;
import io.flotilla.ProposalDroppedException;
import io.flotilla.RaftConfig;
import io.flotilla.RaftStatus;
import io.flotilla.ReplicationState;
import io.flotilla.Role;
import io.flotilla.message.AppendEntriesRequest;
import io.flotilla.message.AppendEntriesResponse;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.HeartbeatResponse;
import io.flotilla.message.PreVoteRequest;
import io.flotilla.message.RaftMessage;
import io.flotilla.message.VoteRequest;
import io.flotilla.message.VoteResponse;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * One test per rule of the Raft paper's Figure 2 and §5 (and the thesis sections the core implements), named
 * after the section (etcd raft's {@code raft_paper_test.go}).
 */
class RaftPaperTest {
    private static final RaftConfig PLAIN = config(false, false);

    private static Env cluster(int n, RaftConfig cfg) {
        Env env = new Env();
        env.addNodes(n, List.of(), cfg, 7, Set.of());
        return env;
    }

    private static Env electedCluster(int n) {
        Env env = cluster(n, PLAIN);
        env.campaign(Env.id(1));
        env.stabilize();
        assertEquals(Role.LEADER, env.p(1).role());
        return env;
    }

    // ------------------------------------------------------------------ §5.1

    @Test
    void section5_1_higherTermInAnyMessage_updatesTermAndConvertsToFollower() {
        Env env = electedCluster(3);
        env.p(1).step(new HeartbeatResponse(N2, N1, 5, 0, 1));
        assertEquals(Role.FOLLOWER, env.p(1).role());
        assertEquals(5, env.p(1).term());
        assertEquals(Optional.empty(), env.p(1).votedFor());
    }

    @Test
    void section5_1_requestWithStaleTerm_isRejectedWithCurrentTerm() {
        MemoryStableLog d = disk(3);
        RaftProtocol p = node(N2, 3, PLAIN, d);
        p.step(new AppendEntriesRequest(N1, N2, 2, 0, 0, entries(1, 2), 0));
        p.step(new VoteRequest(N3, N2, 2, 9, 2, false));
        Ready rd = drain(p, d);
        List<RaftMessage> msgs = ProtocolTestSupport.messages(rd);
        AppendEntriesResponse ar = ofType(msgs, AppendEntriesResponse.class).get(0);
        assertFalse(ar.success());
        assertEquals(3, ar.term());
        VoteResponse vr = ofType(msgs, VoteResponse.class).get(0);
        assertFalse(vr.granted());
        assertEquals(3, vr.term());
        assertEquals(0, p.lastIndex(), "a stale append must not touch the log");
    }

    @Test
    void section5_1_voteGrant_isSentOnlyAfterTheVoteIsPersisted() {
        MemoryStableLog d = disk(0);
        RaftProtocol p = node(N2, 3, PLAIN, d);
        p.step(new VoteRequest(N1, N2, 1, 0, 0, false));
        Ready rd = p.ready();
        assertEquals(Optional.of(HardState.of(1, N1)), rd.hardState());
        assertTrue(ofType(rd.messagesNow(), VoteResponse.class).isEmpty());
        assertTrue(ofType(rd.messagesAfterPersist(), VoteResponse.class).get(0).granted());
        assertTrue(rd.needsPersist());
    }

    @Test
    void section5_1_appendAcknowledgement_isSentOnlyAfterEntriesArePersisted() {
        MemoryStableLog d = disk(1);
        RaftProtocol p = node(N2, 3, PLAIN, d);
        p.step(new AppendEntriesRequest(N1, N2, 1, 0, 0, entries(1, 1, 1), 0));
        Ready rd = p.ready();
        assertEquals(2, rd.entriesToPersist().size());
        assertTrue(rd.messagesNow().isEmpty());
        AppendEntriesResponse ack = ofType(rd.messagesAfterPersist(), AppendEntriesResponse.class).get(0);
        assertTrue(ack.success());
        assertEquals(2, ack.matchIndex());
    }

    // ------------------------------------------------------------------ §5.2

    @Test
    void section5_2_followerWithoutLeader_campaignsWithinOneToTwoElectionTimeouts() {
        for (int seed = 0; seed < 20; seed++) {
            RaftProtocol p = new RaftProtocol(new ProtocolParams(N1, PLAIN, new java.util.SplittableRandom(seed),
                    Set.of()), disk(0), new InitialState(HardState.INITIAL, ProtocolTestSupport.voters(3), 0, 0, 0));
            int ticks = 0;
            while (p.role() == Role.FOLLOWER && ticks < 100) {
                p.tick();
                ticks++;
            }
            assertEquals(Role.CANDIDATE, p.role());
            assertTrue(ticks >= 10 && ticks < 20, "timeout " + ticks + " outside [10, 20) for seed " + seed);
        }
    }

    @Test
    void section5_2_electionTimeouts_areRandomized() {
        Set<Integer> timeouts = new HashSet<>();
        for (int seed = 0; seed < 20; seed++) {
            RaftProtocol p = new RaftProtocol(new ProtocolParams(N1, PLAIN, new java.util.SplittableRandom(seed),
                    Set.of()), disk(0), new InitialState(HardState.INITIAL, ProtocolTestSupport.voters(3), 0, 0, 0));
            timeouts.add(p.randomizedElectionTimeout);
        }
        assertTrue(timeouts.size() > 3, "timeouts " + timeouts);
    }

    @Test
    void section5_2_candidate_incrementsTermVotesForItselfAndRequestsVotes() {
        Env env = cluster(3, PLAIN);
        RaftProtocol p = env.p(1);
        p.elections.campaign(Elections.Kind.ELECTION);
        Ready rd = p.ready();
        assertEquals(Optional.of(HardState.of(1, N1)), rd.hardState());
        List<VoteRequest> reqs = ofType(rd.messagesAfterPersist(), VoteRequest.class);
        assertEquals(2, reqs.size(), "vote requests wait for the term to be durable");
        assertEquals(1, reqs.get(0).term());
    }

    @Test
    void section5_2_voter_grantsAtMostOneVotePerTerm_firstComeFirstServed() {
        MemoryStableLog d = disk(0);
        RaftProtocol p = node(N3, 3, PLAIN, d);
        p.step(new VoteRequest(N1, N3, 1, 0, 0, false));
        p.step(new VoteRequest(N2, N3, 1, 0, 0, false));
        p.step(new VoteRequest(N1, N3, 1, 0, 0, false)); // a retry by the same candidate is granted again
        List<VoteResponse> resp = ofType(ProtocolTestSupport.messages(drain(p, d)), VoteResponse.class);
        assertEquals(List.of(true, false, true), resp.stream().map(VoteResponse::granted).toList());
        assertEquals(Optional.of(N1), p.votedFor());
    }

    @Test
    void section5_2_candidate_winsWithMajorityAndCountsEachVoterOnce() {
        Env env = cluster(5, PLAIN);
        RaftProtocol p = env.p(1);
        p.elections.campaign(Elections.Kind.ELECTION);
        p.step(new VoteResponse(N2, N1, 1, true));
        p.step(new VoteResponse(N2, N1, 1, true)); // duplicate
        assertEquals(Role.CANDIDATE, p.role(), "a duplicate vote must not make a majority");
        p.step(new VoteResponse(N3, N1, 1, true));
        assertEquals(Role.LEADER, p.role());
    }

    @Test
    void section5_2_candidate_losesWhenMajorityRejects() {
        Env env = cluster(3, PLAIN);
        RaftProtocol p = env.p(1);
        p.elections.campaign(Elections.Kind.ELECTION);
        p.step(new VoteResponse(N2, N1, 1, false));
        assertEquals(Role.CANDIDATE, p.role());
        p.step(new VoteResponse(N3, N1, 1, false));
        assertEquals(Role.FOLLOWER, p.role());
        assertEquals(1, p.term());
    }

    @Test
    void section5_2_voteResponseFromEarlierTerm_isIgnored() {
        Env env = cluster(3, PLAIN);
        RaftProtocol p = env.p(1);
        p.elections.campaign(Elections.Kind.ELECTION);
        p.becomeFollower(p.term(), null);
        p.elections.campaign(Elections.Kind.ELECTION); // term 2
        p.step(new VoteResponse(N2, N1, 1, true));
        assertEquals(Role.CANDIDATE, p.role());
    }

    @Test
    void section5_2_candidate_stepsDownOnAppendFromLeaderOfSameTerm() {
        Env env = cluster(3, PLAIN);
        RaftProtocol p = env.p(1);
        p.elections.campaign(Elections.Kind.ELECTION);
        p.step(new AppendEntriesRequest(N2, N1, 1, 0, 0, List.of(), 0));
        assertEquals(Role.FOLLOWER, p.role());
        assertEquals(Optional.of(N2), p.leader());
    }

    @Test
    void section5_2_leader_sendsHeartbeatsEveryHeartbeatInterval() {
        Env env = electedCluster(3);
        RaftProtocol p = env.p(1);
        p.tick();
        Ready r1 = p.ready();
        p.advance(r1);
        assertTrue(ofType(r1.messagesNow(), HeartbeatRequest.class).isEmpty());
        p.tick();
        Ready r2 = p.ready();
        p.advance(r2);
        assertEquals(2, ofType(r2.messagesNow(), HeartbeatRequest.class).size());
    }

    // ------------------------------------------------------------------ §5.3

    @Test
    void section5_3_newLeader_appendsNoOpAndReplicatesIt() {
        Env env = electedCluster(3);
        for (int i = 1; i <= 3; i++) {
            assertEquals(1, env.p(i).lastIndex());
            assertEquals(1, env.p(i).commitIndex());
        }
        assertEquals(io.flotilla.EntryKind.NO_OP, env.node(Env.id(2)).applied.get(0).kind());
    }

    @Test
    void section5_3_follower_rejectsAppendWhosePrevEntryDoesNotMatch() {
        MemoryStableLog d = disk(2, 1, 1);
        RaftProtocol p = node(N2, 3, PLAIN, d);
        p.step(new AppendEntriesRequest(N1, N2, 2, 2, 2, entries(3, 2), 0));
        AppendEntriesResponse r = ofType(ProtocolTestSupport.messages(drain(p, d)), AppendEntriesResponse.class).get(0);
        assertFalse(r.success());
        assertEquals(2, r.rejectedIndex());
        assertEquals(1, r.conflictTerm());
        assertEquals(1, r.conflictIndex(), "first index of the conflicting term");
        assertEquals(2, p.lastIndex());
    }

    @Test
    void section5_3_follower_truncatesOnlyAtARealConflict() {
        MemoryStableLog d = disk(3, 1, 1, 2, 2);
        RaftProtocol p = node(N2, 3, PLAIN, d);
        // Matching entries (1..2) are kept; 3/2 conflicts with 3/3 and is replaced, 4/2 goes with it.
        p.step(new AppendEntriesRequest(N1, N2, 3, 1, 1, entries(2, 1, 3), 0));
        drain(p, d);
        assertEquals(3, p.lastIndex());
        assertEquals(3, p.termAt(3));
        assertEquals(List.of(1L, 1L, 3L), d.all().stream().map(LogEntry::term).toList());
        // A stale, shorter append that matches must not truncate 3/3.
        p.step(new AppendEntriesRequest(N1, N2, 3, 0, 0, entries(1, 1), 0));
        drain(p, d);
        assertEquals(3, p.lastIndex());
    }

    @Test
    void section5_3_followerCommit_isMinOfLeaderCommitAndLastNewEntry() {
        MemoryStableLog d = disk(1, 1, 1, 1, 1);
        RaftProtocol p = node(N2, 3, PLAIN, d);
        // Entries 3 and 4 are leftovers that this append does not vouch for.
        p.step(new AppendEntriesRequest(N1, N2, 2, 1, 1, entries(2, 1), 4));
        assertEquals(2, p.commitIndex());
    }

    @Test
    void section5_3_leader_commitsOnceAMajorityAcknowledges() {
        Env env = electedCluster(5);
        env.propose(Env.id(1), "x");
        env.deliver(m -> m.to().equals(Env.id(2)));
        env.deliver(m -> m.to().equals(Env.id(1)));
        assertEquals(1, env.p(1).commitIndex(), "2 of 5 is not a majority");
        env.deliver(m -> m.to().equals(Env.id(3)));
        env.deliver(m -> m.to().equals(Env.id(1)));
        assertEquals(2, env.p(1).commitIndex());
    }

    @Test
    void section5_3_conflictHints_skipAWholeTermPerRoundTrip() {
        // Leader log 1,1,1,4,4,5,5,6,6,6 (Figure 7); follower (f) 1,1,1,2,2,2,3,3,3,3,3.
        MemoryStableLog ld = disk(7, 1, 1, 1, 4, 4, 5, 5, 6, 6, 6);
        MemoryStableLog fd = disk(7, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3);
        RaftProtocol leader = node(N1, 2, PLAIN, ld);
        RaftProtocol follower = node(N2, 2, PLAIN, fd);
        leader.elections.campaign(Elections.Kind.ELECTION);
        drain(leader, ld);
        leader.step(new VoteResponse(N2, N1, 8, true));
        int appends = 0;
        for (int round = 0; round < 10 && !sameLog(leader, follower); round++) {
            for (RaftMessage m : ProtocolTestSupport.messages(drain(leader, ld))) {
                if (m instanceof AppendEntriesRequest) {
                    appends++;
                    follower.step(m);
                }
            }
            for (RaftMessage m : ProtocolTestSupport.messages(drain(follower, fd))) {
                leader.step(m);
            }
        }
        assertEquals(leader.lastIndex(), follower.lastIndex());
        for (long i = 1; i <= leader.lastIndex(); i++) {
            assertEquals(leader.termAt(i), follower.termAt(i));
        }
        assertTrue(appends <= 3, "repair took " + appends + " appends");
    }

    private static boolean sameLog(RaftProtocol a, RaftProtocol b) {
        if (a.lastIndex() != b.lastIndex()) {
            return false;
        }
        for (long i = 1; i <= a.lastIndex(); i++) {
            if (a.termAt(i) != b.termAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void section5_3_heartbeatCommit_isAtMostTheFollowersMatch() {
        Env env = electedCluster(3);
        env.propose(Env.id(1), "x");
        env.deliver(m -> m.to().equals(Env.id(2)));
        env.deliver(m -> m.to().equals(Env.id(1)));
        env.network.removeIf(m -> m.to().equals(Env.id(3)));
        assertEquals(2, env.p(1).commitIndex());
        env.network.clear();
        env.tick(Env.id(1), 2);
        List<HeartbeatRequest> hbs = ofType(env.network, HeartbeatRequest.class);
        assertEquals(2, hbs.stream().filter(h -> h.to().equals(Env.id(2))).findFirst().get().commitIndex());
        assertEquals(1, hbs.stream().filter(h -> h.to().equals(Env.id(3))).findFirst().get().commitIndex());
    }

    // ------------------------------------------------------------------ §5.4

    @Test
    void section5_4_1_vote_isRefusedToCandidateWithLessUpToDateLog() {
        MemoryStableLog d = disk(3, 1, 2);
        RaftProtocol p = node(N3, 3, PLAIN, d);
        p.step(new VoteRequest(N1, N3, 4, 5, 1, false)); // longer log, older last term
        p.step(new VoteRequest(N2, N3, 5, 1, 2, false)); // same last term, shorter
        List<VoteResponse> r = ofType(ProtocolTestSupport.messages(drain(p, d)), VoteResponse.class);
        assertFalse(r.get(0).granted());
        assertFalse(r.get(1).granted());
        p.step(new VoteRequest(N2, N3, 6, 2, 2, false)); // same last term, same length
        assertTrue(ofType(ProtocolTestSupport.messages(drain(p, d)), VoteResponse.class).get(0).granted());
    }

    @Test
    void section5_4_2_leader_doesNotCommitEntryOfEarlierTermByCounting() {
        MemoryStableLog ld = disk(2, 1, 2);
        RaftProtocol leader = node(N1, 3, PLAIN, ld);
        leader.elections.campaign(Elections.Kind.ELECTION); // term 3
        drain(leader, ld);
        leader.step(new VoteResponse(N2, N1, 3, true));
        drain(leader, ld);
        // Follower 2 already holds 1/1, 2/2: the leader learns that before its no-op 3/3 reaches anyone.
        leader.step(new AppendEntriesResponse(N2, N1, 3, true, 2, 0, 0, 0, 2));
        assertEquals(0, leader.commitIndex(), "2/2 is on a majority but of an earlier term");
        leader.step(new AppendEntriesResponse(N2, N1, 3, true, 3, 0, 0, 0, 3));
        assertEquals(3, leader.commitIndex(), "committing 3/3 commits 2/2 indirectly");
    }

    // ------------------------------------------------------------------ thesis sections

    @Test
    void thesis10_2_1_leader_sendsBeforeItsOwnWriteButCountsItselfOnlyWhenDurable() {
        MemoryStableLog d = disk(0);
        RaftProtocol p = node(N1, 1, PLAIN, d);
        p.elections.campaign(Elections.Kind.ELECTION);
        assertEquals(Role.LEADER, p.role());
        Ready rd = p.ready();
        p.advance(rd);
        assertEquals(0, p.commitIndex(), "the no-op is not durable yet");
        d.persist(rd);
        p.persisted(1, 1);
        assertEquals(1, p.commitIndex());
        Env env = electedCluster(3);
        env.node(Env.id(1)).held = true;
        env.propose(Env.id(1), "x");
        assertEquals(2, ofType(env.network, AppendEntriesRequest.class).size(), "sent before the leader's write");
        env.deliver(m -> m.to().equals(Env.id(2)));
        env.deliver(m -> m.to().equals(Env.id(1)));
        assertEquals(1, env.p(1).commitIndex(), "one follower is durable, the leader is not: 1 of 3");
        env.node(Env.id(1)).held = false;
        env.process(env.node(Env.id(1)));
        assertEquals(2, env.p(1).commitIndex(), "leader + one follower durable is a majority of 3");
    }

    @Test
    void thesis9_6_preVote_doesNotRaiseTermsUntilItWouldWin() {
        Env env = cluster(3, config(true, false));
        env.campaign(Env.id(1));
        assertEquals(Role.PRE_CANDIDATE, env.p(1).role());
        assertEquals(0, env.p(1).term());
        env.deliver(m -> true); // pre-votes reach 2 and 3
        assertEquals(0, env.p(2).term(), "a pre-vote never changes the voter's term");
        env.stabilize();
        assertEquals(Role.LEADER, env.p(1).role());
        assertEquals(1, env.p(1).term());
    }

    @Test
    void thesis6_2_followerHearingFromLeader_ignoresVoteRequests() {
        MemoryStableLog d = disk(1);
        RaftProtocol p = node(N2, 3, config(true, true), d);
        p.step(new HeartbeatRequest(N1, N2, 1, 0, 0));
        p.step(new VoteRequest(N3, N2, 2, 0, 0, false));
        p.step(new PreVoteRequest(N3, N2, 2, 0, 0));
        assertEquals(1, p.term());
        assertTrue(ofType(ProtocolTestSupport.messages(drain(p, d)), VoteResponse.class).isEmpty());
        p.step(new VoteRequest(N3, N2, 2, 0, 0, true)); // leadership transfer overrides the lease
        assertEquals(2, p.term());
        assertTrue(ofType(ProtocolTestSupport.messages(drain(p, d)), VoteResponse.class).get(0).granted());
    }

    @Test
    void thesis4_1_configurationEntry_takesEffectWhenAppendedAndRevertsWhenTruncated() {
        MemoryStableLog d = disk(1, 1);
        RaftProtocol p = node(N2, 3, PLAIN, d);
        TreeMap<NodeId, URI> addr = new TreeMap<>();
        for (int i = 1; i <= 4; i++) {
            addr.put(NodeId.of(Integer.toString(i)), URI.create("mem://" + i));
        }
        ClusterConfig four = new ClusterConfig(new TreeSet<>(List.of(N1, N2, N3)), new TreeSet<>(List.of(NodeId.of("4"))),
                new TreeSet<>(), addr);
        p.step(new AppendEntriesRequest(N1, N2, 1, 1, 1, List.of(LogEntry.configuration(2, 1, four)), 1));
        assertEquals(four, p.config(), "in force once appended, before commit");
        drain(p, d);
        p.step(new AppendEntriesRequest(N3, N2, 2, 1, 1, entries(2, 2), 1));
        assertEquals(ProtocolTestSupport.voters(3), p.config(), "reverted when its entry is truncated");
        drain(p, d);
        // After a restart the configuration is found again in the log.
        MemoryStableLog d2 = new MemoryStableLog();
        d2.replaceAll(List.of(LogEntry.command(1, 1, Bytes.EMPTY), LogEntry.configuration(2, 1, four)));
        assertEquals(four, node(N2, 3, PLAIN, d2).config());
    }

    @Test
    void propose_onFollower_throwsNotLeaderWithHint() {
        Env env = electedCluster(3);
        NotLeaderException e = assertThrows(NotLeaderException.class, () -> env.p(2).propose(List.of(Bytes.EMPTY)));
        assertEquals(Optional.of(N1), e.leaderHint());
        assertThrows(NotLeaderException.class, () -> env.p(2).readIndex(1));
    }

    @Test
    void propose_oversizedCommand_isDroppedAndNothingIsAppended() {
        Env env = new Env();
        env.addNodes(1, List.of(), PLAIN.toBuilder().maxCommandBytes(4).build(), 1, Set.of());
        env.campaign(Env.id(1));
        long last = env.p(1).lastIndex();
        assertThrows(ProposalDroppedException.class,
                () -> env.p(1).propose(List.of(Bytes.ofUtf8("ok"), Bytes.ofUtf8("too long"))));
        assertEquals(last, env.p(1).lastIndex());
    }

    @Test
    void status_onLeader_reportsEveryPeer() {
        Env env = electedCluster(3);
        RaftStatus s = env.p(1).status(1);
        assertEquals(Role.LEADER, s.role());
        assertEquals(Optional.of(N1), s.leader());
        assertEquals(1, s.commitIndex());
        assertEquals(2, s.peers().size());
        assertEquals(ReplicationState.REPLICATE, s.peers().get(0).state());
        assertEquals(1, s.peers().get(0).matchIndex());
        assertTrue(env.p(2).status(1).peers().isEmpty());
    }

    @Test
    void pipelining_manyBatchesInFlight_boundedByWindow() {
        Env env = new Env();
        env.addNodes(2, List.of(), PLAIN.toBuilder().maxInflightAppends(3).build(), 1, Set.of());
        env.campaign(Env.id(1));
        env.stabilize();
        env.network.clear();
        for (int i = 0; i < 5; i++) {
            env.propose(Env.id(1), "x" + i);
        }
        assertEquals(3, ofType(env.network, AppendEntriesRequest.class).size(), "window of 3 messages");
        env.stabilize();
        assertEquals(6, env.p(2).lastIndex());
        assertEquals(6, env.p(1).commitIndex());
    }
}
