package io.flotilla.core.internal.protocol;

import io.flotilla.LogEntry;
import io.flotilla.Role;
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
import io.flotilla.message.VoteRequest;
import io.flotilla.message.VoteResponse;
import java.util.List;

/**
 * The receiver's side of AppendEntries (§5.3, Figure 2 "receiver implementation"), heartbeats (§5.2) and
 * InstallSnapshot. Called with messages of the current term only. Operates on the state of its
 * {@link RaftProtocol}.
 *
 * <p><b>Threading:</b> not thread-safe; used only on the event loop.
 */
final class FollowerHandlers {
    private final RaftProtocol r;

    FollowerHandlers(RaftProtocol r) {
        this.r = r;
    }

    /** A current-term message from a leader: §5.2 a candidate "recognizes the leader as legitimate". */
    private boolean acceptLeader(io.flotilla.NodeId from) {
        if (r.role == Role.LEADER) {
            // Two leaders in one term cannot happen (Election Safety, §5.2); if a seeded bug makes it happen,
            // ignore the other rather than corrupt state further. Invariant checkers report it.
            return false;
        }
        if (r.role != Role.FOLLOWER) {
            r.becomeFollower(r.term, from);
        }
        r.leader = from;
        r.electionElapsed = 0;
        return true;
    }

    void handleAppendEntries(AppendEntriesRequest m) {
        if (!acceptLeader(m.from())) {
            return;
        }
        long prevIndex = m.prevLogIndex();
        long prevTerm = m.prevLogTerm();
        List<LogEntry> entries = m.entries();
        long committed = r.log.committed();
        if (prevIndex < committed) {
            // Entries up to our commit index are in every later leader's log (Leader Completeness, §5.4.3), so
            // they match: skip them, and check consistency at the commit index instead. A stale or reordered
            // request therefore never truncates committed entries.
            if (m.lastIndex() <= committed) {
                r.sendAfterPersist(accept(m, committed));
                return;
            }
            entries = entries.subList((int) (committed - prevIndex), entries.size());
            prevIndex = committed;
            prevTerm = r.log.term(committed);
        }
        if (!r.log.matchTerm(prevIndex, prevTerm)) {
            // Figure 2 receiver rule 2: reply false if the log has no entry at prevLogIndex with prevLogTerm,
            // with the hints of §5.3 so the leader can skip a whole term per round trip.
            long conflictTerm;
            long conflictIndex;
            if (prevIndex > r.log.lastIndex()) {
                conflictTerm = 0;
                conflictIndex = r.log.lastIndex() + 1;
            } else {
                conflictTerm = Math.max(0, r.log.term(prevIndex));
                conflictIndex = r.log.firstIndexOfTermAt(prevIndex, committed + 1);
            }
            r.reply(new AppendEntriesResponse(r.self, m.from(), r.term, false, 0, m.prevLogIndex(), conflictTerm,
                    conflictIndex, r.log.lastIndex()));
            return;
        }
        // Figure 2 receiver rules 3 and 4: truncate only at a real conflict, append what is new.
        long rewrittenFrom = r.log.maybeAppend(entries);
        if (rewrittenFrom > 0) {
            r.onLogRewritten(rewrittenFrom, entries);
        }
        long lastNew = prevIndex + entries.size();
        // Figure 2 receiver rule 5: commitIndex = min(leaderCommit, index of last new entry). Entries after
        // lastNew may be stale leftovers of an older term that this leader has not overwritten yet.
        long commitTarget = r.bugFollowerCommitBeyondLastNew
                ? Math.min(m.leaderCommit(), r.log.lastIndex()) // seeded bug
                : Math.min(m.leaderCommit(), lastNew);
        r.log.commitTo(commitTarget);
        // §5.1 / Figure 2: the acknowledgement waits until the entries are durable.
        r.sendAfterPersist(accept(m, lastNew));
    }

    private AppendEntriesResponse accept(AppendEntriesRequest m, long matchIndex) {
        return new AppendEntriesResponse(r.self, m.from(), r.term, true, matchIndex, 0, 0, 0, r.log.lastIndex());
    }

    void handleHeartbeat(HeartbeatRequest m) {
        if (!acceptLeader(m.from())) {
            return;
        }
        // The leader sends min(our match, its commit): entries up to there match its log, so adopt it.
        r.log.commitTo(Math.min(m.commitIndex(), r.log.lastIndex()));
        r.reply(new HeartbeatResponse(r.self, m.from(), r.term, m.readContext(), r.log.lastIndex()));
    }

    void handleInstallSnapshot(InstallSnapshotRequest m) {
        if (!acceptLeader(m.from())) {
            return;
        }
        r.snapshots.handleRequest(m);
    }

    /** §5.1: a request with a stale term is rejected with the current term, so its sender learns it is stale. */
    void handleStaleTerm(RaftMessage m) {
        if (m instanceof AppendEntriesRequest) {
            AppendEntriesRequest q = (AppendEntriesRequest) m;
            r.reply(new AppendEntriesResponse(r.self, q.from(), r.term, false, 0, q.prevLogIndex(), 0, 0,
                    r.log.lastIndex()));
        } else if (m instanceof HeartbeatRequest) {
            HeartbeatRequest q = (HeartbeatRequest) m;
            r.reply(new HeartbeatResponse(r.self, q.from(), r.term, q.readContext(), r.log.lastIndex()));
        } else if (m instanceof PreVoteRequest) {
            // Tell a pre-candidate with a smaller term about ours, or it may never catch up (etcd #8243).
            r.reply(new PreVoteResponse(r.self, m.from(), r.term, false));
        } else if (m instanceof VoteRequest) {
            r.reply(new VoteResponse(r.self, m.from(), r.term, false));
        } else if (m instanceof InstallSnapshotRequest) {
            InstallSnapshotRequest q = (InstallSnapshotRequest) m;
            r.reply(new InstallSnapshotResponse(r.self, q.from(), r.term, q.meta().lastIncludedIndex(), 0, false,
                    false));
        } else if (m instanceof ReadIndexRequest) {
            r.reply(new ReadIndexResponse(r.self, m.from(), r.term, ((ReadIndexRequest) m).requestId(), false, 0));
        }
        // Responses and TimeoutNow from older terms carry nothing of use: dropped (§5.1).
    }
}
