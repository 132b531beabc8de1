package io.flotilla.core;

/**
 * Entry point: {@code Raft.newBuilder()} assembles a {@link io.flotilla.RaftNode}.
 *
 * <p>SKELETON: filled in by the event-loop work.
 */
public final class Raft {
    private Raft() {}
}
