package io.flotilla.sim;

import io.flotilla.RaftConfig;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one simulation run does. Everything not given is drawn from the seed, so {@code defaults(seed)} alone
 * reproduces a run exactly.
 *
 * @param seed the run's seed: the only source of randomness
 * @param voters the cluster size (3 or 5), or 0 to draw it
 * @param clients concurrent clients (each issues one operation at a time), or 0 to draw 2–8
 * @param keys distinct keys the workload touches, or 0 to draw 1–4
 * @param chaosNanos virtual duration of the chaos phase
 * @param healNanos virtual time allowed after the chaos phase for a leader to emerge and replicas to converge
 * @param faults the fault profile, or empty to draw a swarm profile
 * @param raftConfig the protocol tuning, or empty to draw timeouts and batching knobs
 * @param storage where nodes keep their state
 * @param seededBugs names of {@code io.flotilla.core.internal.protocol.SeededBug} constants to switch on (tests of
 *     the simulator's detection power only)
 * @param opTimeoutNanos how long a client waits for one operation before recording it as unknown
 */
public record SimOptions(long seed, int voters, int clients, int keys, long chaosNanos, long healNanos,
        Optional<FaultProfile> faults, Optional<RaftConfig> raftConfig, StorageFactory storage,
        Set<String> seededBugs, long opTimeoutNanos) {

    /** Validates. */
    public SimOptions {
        if (voters != 0 && (voters < 1 || voters > 9)) {
            throw new IllegalArgumentException("voters must be 1..9 (or 0 to draw), got " + voters);
        }
        if (clients < 0 || keys < 0 || chaosNanos < 0 || healNanos <= 0 || opTimeoutNanos <= 0) {
            throw new IllegalArgumentException("counts and durations must be positive");
        }
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(raftConfig, "raftConfig");
        Objects.requireNonNull(storage, "storage");
        seededBugs = Set.copyOf(seededBugs);
    }

    /**
     * Returns the default run for a seed: size, clients, keys, faults and tuning all drawn from the seed; 20 s of
     * chaos, up to 30 s to heal, in-memory storage.
     *
     * @param seed the seed
     * @return the options
     */
    public static SimOptions defaults(long seed) {
        return new SimOptions(seed, 0, 0, 0, 20_000_000_000L, 30_000_000_000L, Optional.empty(), Optional.empty(),
                StorageFactory.memory(), Set.of(), 2_000_000_000L);
    }

    /**
     * @param faults the fault profile to use instead of a drawn one
     * @return a copy with the profile
     */
    public SimOptions withFaults(FaultProfile faults) {
        return new SimOptions(seed, voters, clients, keys, chaosNanos, healNanos, Optional.of(faults), raftConfig,
                storage, seededBugs, opTimeoutNanos);
    }

    /**
     * @param voters the cluster size
     * @return a copy with the size
     */
    public SimOptions withVoters(int voters) {
        return new SimOptions(seed, voters, clients, keys, chaosNanos, healNanos, faults, raftConfig, storage,
                seededBugs, opTimeoutNanos);
    }

    /**
     * @param clients the number of clients
     * @return a copy
     */
    public SimOptions withClients(int clients) {
        return new SimOptions(seed, voters, clients, keys, chaosNanos, healNanos, faults, raftConfig, storage,
                seededBugs, opTimeoutNanos);
    }

    /**
     * @param chaosNanos virtual duration of the chaos phase
     * @return a copy
     */
    public SimOptions withChaosNanos(long chaosNanos) {
        return new SimOptions(seed, voters, clients, keys, chaosNanos, healNanos, faults, raftConfig, storage,
                seededBugs, opTimeoutNanos);
    }

    /**
     * @param raftConfig the protocol tuning
     * @return a copy
     */
    public SimOptions withRaftConfig(RaftConfig raftConfig) {
        return new SimOptions(seed, voters, clients, keys, chaosNanos, healNanos, faults, Optional.of(raftConfig),
                storage, seededBugs, opTimeoutNanos);
    }

    /**
     * @param storage the storage factory
     * @return a copy
     */
    public SimOptions withStorage(StorageFactory storage) {
        return new SimOptions(seed, voters, clients, keys, chaosNanos, healNanos, faults, raftConfig, storage,
                seededBugs, opTimeoutNanos);
    }

    /**
     * @param bugs names of seeded bugs to switch on
     * @return a copy
     */
    public SimOptions withSeededBugs(Set<String> bugs) {
        return new SimOptions(seed, voters, clients, keys, chaosNanos, healNanos, faults, raftConfig, storage, bugs,
                opTimeoutNanos);
    }

    /**
     * @param seed another seed
     * @return a copy with the seed
     */
    public SimOptions withSeed(long seed) {
        return new SimOptions(seed, voters, clients, keys, chaosNanos, healNanos, faults, raftConfig, storage,
                seededBugs, opTimeoutNanos);
    }
}
