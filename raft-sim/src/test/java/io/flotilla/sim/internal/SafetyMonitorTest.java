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
        return new RaftStatus(self, Role.FOLLOWER, 2, Optional.of(N1), commit, 0, 10, 0,
                ClusterConfig.ofVoters(Map.of(N1, URI.create("mem://n1"), N2, URI.create("mem://n2"),
                        N3, URI.create("mem://n3"))), List.of(), Optional.empty());
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
