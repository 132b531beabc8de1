package io.flotilla.core.internal.protocol;

import io.flotilla.Bytes;
import io.flotilla.RaftStatus;
import io.flotilla.core.internal.log.StableLog;
import io.flotilla.message.RaftMessage;
import java.util.List;

/**
 * The Raft algorithm as a deterministic state machine (etcd raft's {@code raft}/{@code RawNode}): no clock,
 * no threads, no I/O other than reads of the durable log through {@link StableLog}, no logging side effects.
 * Time advances only through {@link #tick()}; randomness comes only from {@link ProtocolParams#random()}.
 *
 * <p>Inputs: {@link #tick()}, {@link #step(RaftMessage)}, {@link #propose(List)}, {@link #readIndex(long)},
 * {@link #persisted(long, long)}. Output: {@link #ready()} then {@link #advance(Ready)} — see {@link Ready} for
 * the order in which the driver must carry a batch out.
 *
 * <p><b>Threading:</b> not thread-safe; one thread (the node's event loop) calls every method.
 *
 * <p>SKELETON: the signatures are the contract between the protocol, the event loop and the simulator; the
 * bodies are filled in by the raft-core protocol work.
 */
public final class RaftProtocol {

    /**
     * Creates the core for one node.
     *
     * @param params fixed inputs
     * @param log the durable log, read-only
     * @param initial what was recovered from storage
     */
    public RaftProtocol(ProtocolParams params, StableLog log, InitialState initial) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Advances logical time by one tick: election and heartbeat timers (§5.2). */
    public void tick() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Handles one inbound message.
     *
     * @param message the message; messages not addressed to this node are ignored
     */
    public void step(RaftMessage message) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Appends commands to the leader's log as one batch.
     *
     * @param commands the commands, in order
     * @return the log index of the first command; the others follow consecutively
     * @throws io.flotilla.NotLeaderException if this node is not the leader
     * @throws io.flotilla.ProposalDroppedException if the leader cannot accept proposals now (e.g. transfer)
     */
    public long propose(List<Bytes> commands) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Registers a linearizable read (thesis §6.4). The read is confirmed in a later {@link Ready#readStates()}
     * once this leader has committed an entry of its term and a quorum has acknowledged a heartbeat round that
     * started after the registration.
     *
     * @param readId an id chosen by the caller, echoed in the {@link ReadState}
     * @throws io.flotilla.NotLeaderException if this node is not the leader
     */
    public void readIndex(long readId) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Reports that the log up to {@code index} is durable, where the entry at {@code index} has {@code term}.
     * Ignored if the entry at {@code index} has since been replaced (its term differs).
     *
     * @param index the last durable index
     * @param term the term of that entry
     */
    public void persisted(long index, long term) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return whether {@link #ready()} has work */
    public boolean hasReady() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return the pending work; call {@link #advance(Ready)} once it has been handed to the driver */
    public Ready ready() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Acknowledges that the driver has taken a {@link Ready} (persistence may still be in flight; completion is
     * reported with {@link #persisted(long, long)}).
     *
     * @param ready the batch last returned by {@link #ready()}
     */
    public void advance(Ready ready) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * @param appliedIndex the state machine's applied index, which the driver tracks
     * @return a status view
     */
    public RaftStatus status(long appliedIndex) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
