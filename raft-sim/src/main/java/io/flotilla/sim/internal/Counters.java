package io.flotilla.sim.internal;

/** Mutable counters of one simulation run. Confined to the simulation thread. */
public final class Counters {
    /** Messages handed to transports. */
    public long messagesSent;
    /** Messages delivered to nodes. */
    public long messagesDelivered;
    /** Fault actions injected (partitions, crashes, pauses, link-fault changes, storage failures...). */
    public long faults;
    /** Crashes. */
    public long crashes;
    /** Restarts. */
    public long restarts;
    /** Pauses. */
    public long pauses;
    /** Partitions of any kind. */
    public long partitions;
    /** Durable log appends. */
    public long appends;
    /** Commands applied over all nodes. */
    public long applied;
    /** InstallSnapshot chunks delivered (§7). */
    public long snapshotChunks;
    /** State machine restores from a snapshot (at restart or after an install). */
    public long restores;
}
