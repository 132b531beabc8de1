package io.flotilla.core.internal.quorum;

import io.flotilla.NodeId;
import java.util.Arrays;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A simple majority quorum over one set of voters (§5.2, §5.3): decisions need more than half of them. The
 * empty configuration is a degenerate case that agrees to everything, so that a {@link JointConfig} whose
 * outgoing half is empty behaves exactly like its incoming half (etcd raft's {@code quorum.MajorityConfig}).
 *
 * <p><b>Threading:</b> immutable and thread-safe. <b>Failure:</b> never throws for valid input.
 */
public final class MajorityConfig {
    private static final MajorityConfig EMPTY = new MajorityConfig(new TreeSet<>());

    private final SortedSet<NodeId> voters;
    private final NodeId[] votersArray;

    /**
     * @param voters the voters; copied
     */
    public MajorityConfig(SortedSet<NodeId> voters) {
        this.voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        this.votersArray = this.voters.toArray(new NodeId[0]);
    }

    /** @return the configuration with no voters */
    public static MajorityConfig empty() {
        return EMPTY;
    }

    /** @return the voters, in id order */
    public SortedSet<NodeId> voters() {
        return voters;
    }

    /** @return the number of voters */
    public int size() {
        return votersArray.length;
    }

    /** @return how many voters form a majority: {@code size / 2 + 1} */
    public int quorum() {
        return votersArray.length / 2 + 1;
    }

    /**
     * Returns the largest index acknowledged by a majority (§5.3: "a log entry is committed once the leader that
     * created the entry has replicated it on a majority of the servers"). Voters that acknowledged nothing count
     * as 0.
     *
     * @param acked each voter's acknowledged index
     * @return the majority-acknowledged index; {@link Long#MAX_VALUE} for the empty configuration
     */
    public long committedIndex(AckedIndexer acked) {
        int n = votersArray.length;
        if (n == 0) {
            return Long.MAX_VALUE;
        }
        if (n == 1) {
            return acked.ackedIndex(votersArray[0]);
        }
        long[] indices = new long[n];
        for (int i = 0; i < n; i++) {
            indices[i] = acked.ackedIndex(votersArray[i]);
        }
        Arrays.sort(indices);
        // Sorted ascending: the element at n - quorum is acknowledged by at least `quorum` voters.
        return indices[n - quorum()];
    }

    /**
     * Counts votes (§5.2: "a candidate wins an election if it receives votes from a majority"). Each voter is
     * asked once, so a voter can never be counted twice.
     *
     * @param votes each voter's answer
     * @return {@link VoteResult#WON}, {@link VoteResult#LOST} or {@link VoteResult#PENDING}; WON if empty
     */
    public VoteResult voteResult(VoteSource votes) {
        int n = votersArray.length;
        if (n == 0) {
            return VoteResult.WON;
        }
        int granted = 0;
        int missing = 0;
        for (NodeId voter : votersArray) {
            int v = votes.vote(voter);
            if (v == VoteSource.GRANTED) {
                granted++;
            } else if (v == VoteSource.MISSING) {
                missing++;
            }
        }
        int q = quorum();
        if (granted >= q) {
            return VoteResult.WON;
        }
        if (granted + missing >= q) {
            return VoteResult.PENDING;
        }
        return VoteResult.LOST;
    }

    @Override
    public String toString() {
        return voters.toString();
    }
}
