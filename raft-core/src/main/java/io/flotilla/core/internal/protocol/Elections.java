package io.flotilla.core.internal.protocol;

import io.flotilla.NodeId;
import io.flotilla.Role;
import io.flotilla.core.internal.quorum.VoteResult;
import io.flotilla.message.PreVoteRequest;
import io.flotilla.message.PreVoteResponse;
import io.flotilla.message.TimeoutNow;
import io.flotilla.message.VoteRequest;
import io.flotilla.message.VoteResponse;

/**
 * Leader election (§5.2, §5.4.1) with the pre-vote phase (thesis §9.6) and leadership-transfer elections
 * (thesis §3.10). Operates on the state of its {@link RaftProtocol}.
 *
 * <p><b>Threading:</b> not thread-safe; used only on the event loop.
 */
final class Elections {
    /** What kind of campaign to run. */
    enum Kind {
        /** Ask first whether a majority would vote, without raising the term (thesis §9.6). */
        PRE_VOTE,
        /** A regular election (§5.2). */
        ELECTION,
        /** An election ordered by {@link TimeoutNow}: skips pre-vote and overrides leases (thesis §3.10). */
        TRANSFER
    }

    private final RaftProtocol r;

    Elections(RaftProtocol r) {
        this.r = r;
    }

    /** Starts a campaign; a single-voter cluster wins at once. */
    void campaign(Kind kind) {
        if (!r.promotable() || r.role == Role.LEADER) {
            return; // learners and removed nodes never campaign; a leader has nothing to campaign for
        }
        long voteTerm;
        if (kind == Kind.PRE_VOTE) {
            r.becomePreCandidate();
            voteTerm = r.term + 1;
        } else {
            r.becomeCandidate();
            voteTerm = r.term;
        }
        r.tracker.recordVote(r.self, true);
        if (tally(kind == Kind.PRE_VOTE)) {
            return;
        }
        long lastIndex = r.log.lastIndex();
        long lastTerm = r.log.lastTerm();
        for (NodeId id : r.tracker.quorum().voters()) {
            if (id.equals(r.self)) {
                continue;
            }
            if (kind == Kind.PRE_VOTE) {
                // Nothing changed durably: pre-vote requests may go at once.
                r.sendNow(new PreVoteRequest(r.self, id, voteTerm, lastIndex, lastTerm));
            } else {
                // The new term and the self-vote must be durable before asking (§5.1; reliability §4 #7).
                r.sendAfterPersist(new VoteRequest(r.self, id, voteTerm, lastIndex, lastTerm, kind == Kind.TRANSFER));
            }
        }
    }

    /** Counts votes; on a decision moves on and returns true. */
    private boolean tally(boolean preVote) {
        VoteResult result = r.tracker.tallyVotes();
        if (result == VoteResult.WON) {
            if (preVote) {
                campaign(Kind.ELECTION);
            } else {
                r.becomeLeader();
            }
            return true;
        }
        if (result == VoteResult.LOST) {
            // §5.2: lost (or a pre-vote refused); wait for a leader or the next timeout.
            r.becomeFollower(r.term, null);
            return true;
        }
        return false;
    }

    /**
     * Handles a (pre-)vote request whose term is current (a pre-vote's may be higher). Grants if this node may
     * still vote in that term (§5.2: "at most one candidate per term, first-come-first-served") and the
     * candidate's log is at least as up-to-date (§5.4.1).
     */
    void handleVoteRequest(NodeId from, long candidateTerm, long lastLogIndex, long lastLogTerm, boolean preVote) {
        boolean canVote = r.promotable()
                && (from.equals(r.vote)
                        || (r.vote == null && r.leader == null)
                        || (preVote && candidateTerm > r.term));
        boolean upToDate = r.bugUpToDateByIndexOnly
                ? lastLogIndex >= r.log.lastIndex() // seeded bug: ignores the last term
                : r.log.isUpToDate(lastLogIndex, lastLogTerm);
        boolean grant = canVote && upToDate;
        if (preVote) {
            // A granted pre-vote echoes the prospective term; a refusal carries ours (thesis §9.6).
            r.reply(new PreVoteResponse(r.self, from, grant ? candidateTerm : r.term, grant));
            return;
        }
        if (grant) {
            r.electionElapsed = 0;
            r.vote = from;
            VoteResponse granted = new VoteResponse(r.self, from, r.term, true);
            if (r.bugVoteBeforePersist) {
                r.sendNow(granted); // seeded bug: the grant may arrive while the vote is not durable
            } else {
                r.sendAfterPersist(granted); // §5.1: respond only after updating stable storage
            }
        } else {
            r.reply(new VoteResponse(r.self, from, r.term, false));
        }
    }

    void handlePreVoteResponse(PreVoteResponse m) {
        if (r.role != Role.PRE_CANDIDATE) {
            return;
        }
        // Grants echo term + 1; refusals carry the voter's term, which equals ours (higher ones made us follow).
        if (m.granted() && m.term() == r.term + 1) {
            r.tracker.recordVote(m.from(), true);
        } else if (!m.granted() && m.term() == r.term) {
            r.tracker.recordVote(m.from(), false);
        } else {
            return; // a stale answer from an earlier round
        }
        tally(true);
    }

    void handleVoteResponse(VoteResponse m) {
        if (r.role != Role.CANDIDATE) {
            return; // already decided, or stale
        }
        // Same term guaranteed by step(); each voter is counted once (ProgressTracker.recordVote).
        r.tracker.recordVote(m.from(), m.granted());
        tally(false);
    }

    /** thesis §3.10: the leader hands over; campaign at once, skipping pre-vote. */
    void handleTimeoutNow(TimeoutNow m) {
        if (r.role == Role.LEADER || !r.promotable()) {
            return;
        }
        campaign(Kind.TRANSFER);
    }
}
