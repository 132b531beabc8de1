package io.flotilla.sim.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.Role;
import io.flotilla.message.AppendEntriesRequest;
import io.flotilla.message.VoteRequest;
import io.flotilla.message.VoteResponse;
import io.flotilla.ClusterConfig;
import io.flotilla.RaftStatus;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SafetyMonitorTest {
    private static final NodeId N1 = NodeId.of("n1");
    private static final NodeId N2 = NodeId.of("n2");
    private static final NodeId N3 = NodeId.of("n3");

    private final SafetyMonitor monitor = new SafetyMonitor(new EventQueue(), List.of(N1, N2, N3));

    private void assertViolation(String invariant) {
        assertTrue(monitor.violation().isPresent(), "expected a violation of " + invariant);
        assertTrue(monitor.violation().get().startsWith(invariant), monitor.violation().get());
    }

    private static LogEntry cmd(long index, long term, String payload) {
        return LogEntry.command(index, term, Bytes.ofUtf8(payload));
    }

    @Test
    void voteGrant_beforeItIsDurable_isReported() {
        monitor.onSend(new VoteResponse(N2, N1, 3, true));
        assertViolation("vote durable before reply");
    }

    @Test
    void voteGrant_afterDurableVoteOrLaterTerm_isFine() {
        monitor.onHardStateSaved(N2, HardState.of(3, N1));
        monitor.onSend(new VoteResponse(N2, N1, 3, true));
        monitor.onHardStateSaved(N3, HardState.of(5));
        monitor.onSend(new VoteResponse(N3, N1, 3, true)); // durable term 5 forbids any other term-3 vote
        assertTrue(monitor.violation().isEmpty(), monitor.violation().orElse(""));
    }

    @Test
    void twoGrantsInOneTerm_areReported() {
        monitor.onHardStateSaved(N2, HardState.of(4));
        monitor.onSend(new VoteResponse(N2, N1, 3, true));
        monitor.onSend(new VoteResponse(N2, N3, 3, true));
        assertViolation("one vote per term");
    }

    @Test
    void grantToALessUpToDateCandidate_isReported() {
        monitor.onAppended(N2, List.of(cmd(1, 1, "a"), cmd(2, 2, "b")));
        monitor.onHardStateSaved(N2, HardState.of(3, N1));
        monitor.onSend(new VoteRequest(N1, N2, 3, 5, 1, false)); // longer log, older last term
        monitor.onSend(new VoteResponse(N2, N1, 3, true));
        assertViolation("up-to-date vote");
    }

    @Test
    void durableTermGoingBack_isReported() {
        monitor.onHardStateSaved(N1, HardState.of(5));
        monitor.onHardStateSaved(N1, HardState.of(4));
        assertViolation("term never decreases");
    }

    @Test
    void durableVoteChangingWithinATerm_isReported() {
        monitor.onHardStateSaved(N1, HardState.of(5, N2));
        monitor.onHardStateSaved(N1, HardState.of(5, N3));
        assertViolation("one durable vote per term");
    }

    @Test
    void sameIndexAndTermWithDifferentPrefixes_breakLogMatching() {
        monitor.onAppended(N1, List.of(cmd(1, 1, "a"), cmd(2, 2, "b")));
        monitor.onAppended(N2, List.of(cmd(1, 1, "x"), cmd(2, 2, "b")));
        assertViolation("Log Matching");
    }

    @Test
    void twoLeadersInOneTerm_areReported() {
        monitor.onRoleChanged(N1, Role.LEADER, 7);
        monitor.onRoleChanged(N2, Role.LEADER, 7);
        assertViolation("Election Safety");
    }

    @Test
    void appendsFromTwoNodesInOneTerm_areReported() {
        monitor.onSend(new AppendEntriesRequest(N1, N3, 7, 0, 0, List.of(), 0));
        monitor.onSend(new AppendEntriesRequest(N2, N3, 7, 0, 0, List.of(), 0));
        assertViolation("Election Safety (wire)");
    }

    @Test
    void differentCommandsAppliedAtOneIndex_breakStateMachineSafety() {
        for (NodeId n : List.of(N1, N2, N3)) {
            monitor.onAppended(n, List.of(cmd(1, 1, "a")));
        }
        monitor.onApplied(N1, 1, Hashing.hash(Bytes.ofUtf8("a")), 11);
        assertTrue(monitor.violation().isEmpty(), monitor.violation().orElse(""));
        monitor.onApplied(N2, 1, Hashing.hash(Bytes.ofUtf8("b")), 12);
        assertViolation("State Machine Safety");
    }

    private static RaftStatus follower(NodeId self, long commit) {
        return status(self, Role.FOLLOWER, 2, commit);
    }

    private static RaftStatus status(NodeId self, Role role, long term, long commit) {
        return new RaftStatus(self, role, term, Optional.of(N1), commit, 0, 10, 0,
                ClusterConfig.ofVoters(Map.of(N1, URI.create("mem://n1"), N2, URI.create("mem://n2"),
                        N3, URI.create("mem://n3"))), List.of(), Optional.empty());
    }

    private void assertNoViolation() {
        assertTrue(monitor.violation().isEmpty(), monitor.violation().orElse(""));
    }

    @Test
    void leaderSendingAnotherEntryAtAnIndexInTheSameTerm_breaksLeaderAppendOnly() {
        monitor.onSend(new AppendEntriesRequest(N1, N2, 2, 1, 1, List.of(cmd(2, 2, "a"), cmd(3, 2, "b")), 1));
        monitor.onSend(new AppendEntriesRequest(N1, N3, 2, 2, 2, List.of(cmd(3, 2, "c")), 1)); // 3 rewritten
        assertViolation("Leader Append-Only");
        assertTrue(monitor.violation().get().contains("n1 (leader, term 2)"), monitor.violation().get());
    }

    @Test
    void leaderClaimingAnotherPrevLogTermInTheSameTerm_breaksLeaderAppendOnly() {
        monitor.onSend(new AppendEntriesRequest(N1, N2, 3, 1, 1, List.of(cmd(2, 2, "a")), 1));
        monitor.onSend(new AppendEntriesRequest(N1, N3, 3, 2, 3, List.of(cmd(3, 3, "b")), 1)); // 2 was term 2
        assertViolation("Leader Append-Only");
    }

    @Test
    void leaderResendingAndExtendingItsLog_andALaterLeaderReplacingEntries_areFine() {
        monitor.onSend(new AppendEntriesRequest(N1, N2, 2, 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 2, "b")), 0));
        monitor.onSend(new AppendEntriesRequest(N1, N3, 2, 0, 0, List.of(), 0)); // probe
        monitor.onSend(new AppendEntriesRequest(N1, N3, 2, 0, 0, List.of(cmd(1, 1, "a")), 0)); // small batch
        monitor.onSend(new AppendEntriesRequest(N1, N3, 2, 1, 1, List.of(cmd(2, 2, "b"), cmd(3, 2, "c")), 2));
        monitor.onSend(new AppendEntriesRequest(N1, N2, 2, 2, 2, List.of(cmd(3, 2, "c")), 2)); // resend
        monitor.onSend(new AppendEntriesRequest(N1, N2, 2, 3, 2, List.of(), 3)); // heartbeat-like
        // Term 3's leader never had 3/t2: it overwrites index 3 on its followers, which Raft allows.
        monitor.onSend(new AppendEntriesRequest(N2, N3, 3, 2, 2, List.of(cmd(3, 3, "d")), 2));
        assertNoViolation();
    }

    @Test
    void leaderTruncatingEntriesOfItsOwnTerm_breaksLeaderAppendOnly() {
        monitor.onAppended(N1, List.of(cmd(1, 1, "a"), cmd(2, 2, "b"), cmd(3, 2, "c")));
        monitor.onStatus(status(N1, Role.LEADER, 2, 0));
        monitor.onTruncated(N1, 3);
        assertViolation("Leader Append-Only");
    }

    @Test
    void deposedLeaderTruncatingItsOldTermEntries_isFine() {
        monitor.onAppended(N1, List.of(cmd(1, 1, "a"), cmd(2, 2, "b"), cmd(3, 2, "c")));
        monitor.onStatus(status(N1, Role.LEADER, 2, 0));
        monitor.onStatus(status(N1, Role.FOLLOWER, 3, 0));
        monitor.onTruncated(N1, 3);
        monitor.onAppended(N1, List.of(cmd(3, 3, "d")));
        assertNoViolation();
    }

    /**
     * n3 led term 1 and appended 2..4 alone; n1 leads term 2 and commits 2..3 with n2; n3 then installs n1's
     * snapshot at 3 and discards its log, compacting before truncating (the order the core once used).
     */
    private void commitThroughThreeWhileN3HoldsStaleEntries() {
        monitor.onAppended(N3, List.of(cmd(1, 1, "a"), cmd(2, 1, "x"), cmd(3, 1, "y"), cmd(4, 1, "z")));
        for (NodeId n : List.of(N1, N2)) {
            monitor.onAppended(n, List.of(cmd(1, 1, "a"), cmd(2, 2, "b"), cmd(3, 2, "c")));
        }
        monitor.onStatus(status(N1, Role.LEADER, 2, 0));
        monitor.onStatus(status(N1, Role.LEADER, 2, 3));
        assertNoViolation();
    }

    @Test
    void discardingTheLogForASnapshot_compactingFirst_reanchorsTheChain() {
        commitThroughThreeWhileN3HoldsStaleEntries();
        monitor.onCompacted(N3, 3);
        monitor.onTruncated(N3, 4);
        monitor.onAppended(N3, List.of(cmd(4, 2, "d")));
        monitor.onAppended(N1, List.of(cmd(4, 2, "d"))); // same entry, same prefix: the chains agree
        assertNoViolation();
    }

    @Test
    void discardingTheLogForASnapshot_truncatingFirst_reanchorsTheChain() {
        commitThroughThreeWhileN3HoldsStaleEntries();
        monitor.onTruncated(N3, 4);
        monitor.onCompacted(N3, 3);
        monitor.onAppended(N1, List.of(cmd(4, 2, "d")));
        monitor.onAppended(N3, List.of(cmd(4, 2, "d")));
        assertNoViolation();
    }

    @Test
    void afterASnapshotInstall_logMatchingStillCatchesADivergentEntry() {
        commitThroughThreeWhileN3HoldsStaleEntries();
        monitor.onTruncated(N3, 4);
        monitor.onCompacted(N3, 3);
        monitor.onAppended(N1, List.of(cmd(4, 2, "d"), cmd(5, 2, "e")));
        monitor.onAppended(N3, List.of(cmd(4, 2, "d"), cmd(5, 2, "f"))); // 5/t2 differs
        assertViolation("Log Matching");
        assertTrue(monitor.violation().get().contains("compacted through 3"), monitor.violation().get());
    }

    @Test
    void pausedLeaderCommittingEntriesTheOthersCompactedSince_isFine() {
        for (NodeId n : List.of(N1, N2, N3)) {
            monitor.onAppended(n, List.of(cmd(1, 1, "a"), cmd(2, 1, "b"), cmd(3, 1, "c")));
        }
        monitor.onStatus(status(N1, Role.LEADER, 1, 0)); // then paused before counting the acks of 1..3
        for (NodeId n : List.of(N2, N3)) {
            monitor.onAppended(n, List.of(cmd(4, 2, "d")));
        }
        monitor.onStatus(status(N2, Role.LEADER, 2, 0));
        monitor.onStatus(status(N2, Role.LEADER, 2, 4));
        monitor.onCompacted(N2, 4);
        monitor.onCompacted(N3, 4);
        monitor.onStatus(status(N1, Role.LEADER, 1, 3)); // resumed: 3/t1 is on n1 and in n2's and n3's snapshots
        assertNoViolation();
    }

    @Test
    void compactingBeyondTheKnownCommittedChain_anchorsOnceItIsKnown() {
        for (NodeId n : List.of(N1, N2)) {
            monitor.onAppended(n, List.of(cmd(1, 1, "a"), cmd(2, 1, "b"), cmd(3, 1, "c")));
        }
        monitor.onCompacted(N2, 2); // no commit seen yet: n2's chain waits
        monitor.onAppended(N2, List.of(cmd(4, 1, "d")));
        monitor.onStatus(status(N1, Role.LEADER, 1, 0));
        monitor.onStatus(status(N1, Role.LEADER, 1, 3));
        monitor.onAppended(N1, List.of(cmd(4, 1, "e"))); // not n2's 4/t1: the re-anchored chains differ
        assertViolation("Log Matching");
    }

    @Test
    void followerCommitBeyondTheLastEntryTheLeaderSent_isReported() {
        monitor.onDeliver(new AppendEntriesRequest(N1, N2, 2, 2, 1, List.of(cmd(3, 2, "a")), 5));
        monitor.onStatus(follower(N2, 3)); // min(leaderCommit 5, last new entry 3)
        assertTrue(monitor.violation().isEmpty(), monitor.violation().orElse(""));
        monitor.onStatus(follower(N2, 4));
        assertViolation("follower commit = min(leaderCommit, last new entry)");
    }

    @Test
    void applyingAnEntryHeldByAMinority_isReported() {
        monitor.onAppended(N1, List.of(cmd(1, 1, "a")));
        monitor.onApplied(N1, 1, Hashing.hash(Bytes.ofUtf8("a")), 11);
        assertViolation("applied only when durable on a quorum");
    }
}
