package io.flotilla.core.internal.quorum;

import io.flotilla.ClusterConfig;
import io.flotilla.NodeId;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The quorum rule of a configuration that may be joint (thesis §4.3): while a change from C_old to C_new is in
 * progress, agreement (elections and commitment) requires separate majorities of both sets. A simple
 * configuration is a joint one whose outgoing half is empty, which agrees to everything.
 *
 * <p><b>Threading:</b> immutable and thread-safe. <b>Failure:</b> never throws for valid input.
 */
public final class JointConfig {
    private final MajorityConfig incoming;
    private final MajorityConfig outgoing;

    /**
     * @param incoming the new (or only) voters
     * @param outgoing the old voters while joint, else {@link MajorityConfig#empty()}
     */
    public JointConfig(MajorityConfig incoming, MajorityConfig outgoing) {
        this.incoming = incoming;
        this.outgoing = outgoing;
    }

    /**
     * @param config a cluster configuration
     * @return its quorum rule: voters, and outgoing voters if joint
     */
    public static JointConfig of(ClusterConfig config) {
        return new JointConfig(new MajorityConfig(config.voters()),
                config.isJoint() ? new MajorityConfig(config.outgoingVoters()) : MajorityConfig.empty());
    }

    /** @return the incoming majority */
    public MajorityConfig incoming() {
        return incoming;
    }

    /** @return the outgoing majority (empty unless joint) */
    public MajorityConfig outgoing() {
        return outgoing;
    }

    /** @return every voter of either half, in id order */
    public SortedSet<NodeId> voters() {
        TreeSet<NodeId> all = new TreeSet<>(incoming.voters());
        all.addAll(outgoing.voters());
        return all;
    }

    /**
     * @param id a node
     * @return whether it votes in either half
     */
    public boolean isVoter(NodeId id) {
        return incoming.voters().contains(id) || outgoing.voters().contains(id);
    }

    /**
     * The largest index acknowledged by a majority of <em>both</em> halves (thesis §4.3).
     *
     * @param acked each voter's acknowledged index
     * @return the jointly committed index
     */
    public long committedIndex(AckedIndexer acked) {
        return Math.min(incoming.committedIndex(acked), outgoing.committedIndex(acked));
    }

    /**
     * Counts votes: won only if both halves are won, lost if either is lost (thesis §4.3).
     *
     * @param votes each voter's answer
     * @return the joint result
     */
    public VoteResult voteResult(VoteSource votes) {
        VoteResult in = incoming.voteResult(votes);
        VoteResult out = outgoing.voteResult(votes);
        if (in == out) {
            return in;
        }
        if (in == VoteResult.LOST || out == VoteResult.LOST) {
            return VoteResult.LOST;
        }
        return VoteResult.PENDING;
    }

    @Override
    public String toString() {
        return outgoing.size() == 0 ? incoming.toString() : incoming + "&&" + outgoing;
    }
}
