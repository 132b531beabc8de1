package io.flotilla.message;

import io.flotilla.Bytes;
import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import java.util.Objects;

/**
 * One chunk of an InstallSnapshot RPC (§7, Figure 13): the leader streams a snapshot to a follower that needs
 * entries the leader has compacted. Chunks of one transfer share {@code meta} and are sent in order of
 * {@code offset}; transports may carry them on a channel separate from other messages so a large snapshot
 * never delays heartbeats.
 *
 * @param from the leader
 * @param to the follower
 * @param term the leader's term
 * @param meta what the snapshot covers
 * @param offset the position of {@code data} in the snapshot stream
 * @param data the chunk's bytes
 * @param chunkCrc32c CRC32C of {@code data}, checked by the receiver before it writes the chunk
 * @param done whether this is the last chunk
 * @param snapshotCrc32c when {@code done}, CRC32C of the whole stream; otherwise 0
 */
public record InstallSnapshotRequest(
        NodeId from, NodeId to, long term, SnapshotMeta meta, long offset, Bytes data, int chunkCrc32c,
        boolean done, int snapshotCrc32c) implements RaftMessage {
    /**
     * Validates the message.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the term
     * @param meta the snapshot metadata
     * @param offset the chunk offset
     * @param data the chunk
     * @param chunkCrc32c the chunk checksum
     * @param done whether last
     * @param snapshotCrc32c the whole-stream checksum when last
     */
    public InstallSnapshotRequest {
        Checks.header(from, to, term);
        Objects.requireNonNull(meta, "meta");
        Checks.nonNegative("offset", offset);
        Objects.requireNonNull(data, "data");
    }
}
