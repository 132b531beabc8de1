package io.flotilla;

/** How the leader is currently replicating to one follower (etcd's progress states). */
public enum ReplicationState {
    /** Searching for the point where the follower's log matches; one append in flight at a time. */
    PROBE,
    /** Streaming appends optimistically, many in flight, bounded by the in-flight window. */
    REPLICATE,
    /** Sending a snapshot because the follower needs entries the leader has compacted. */
    SNAPSHOT
}
