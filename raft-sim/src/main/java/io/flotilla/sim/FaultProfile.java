package io.flotilla.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Which fault classes a simulation injects and how hard. Swarm testing ({@link #swarm}) turns each class on or
 * off independently per seed, so some seeds see few kinds of faults and go deep, others see many.
 *
 * @param dropProbability per-message loss probability on every link (0 for none)
 * @param duplicateProbability per-message duplication probability
 * @param maxDelayNanos the largest per-message delay; delays above the base latency reorder messages
 * @param partitions symmetric partitions into random groups (including majority/minority splits)
 * @param asymmetric one-way link blocks
 * @param leaderIsolation isolate the current leader
 * @param crashes crash a node (often the leader) and restart it later
 * @param pauses stop a node (its loop, storage and apply tasks) for up to several election timeouts
 * @param clockSkew per-node clock-rate skew of up to ±5% (timers and {@code nanoTime})
 * @param storageFailures make a node's next storage write fail (the node must fail-stop; it is restarted later)
 * @param meanFaultIntervalNanos mean time between nemesis actions
 */
public record FaultProfile(double dropProbability, double duplicateProbability, long maxDelayNanos,
        boolean partitions, boolean asymmetric, boolean leaderIsolation, boolean crashes, boolean pauses,
        boolean clockSkew, boolean storageFailures, long meanFaultIntervalNanos) {

    /** Validates. */
    public FaultProfile {
        if (dropProbability < 0 || dropProbability > 1 || duplicateProbability < 0 || duplicateProbability > 1) {
            throw new IllegalArgumentException("probabilities must be in [0, 1]");
        }
        if (maxDelayNanos < 0 || meanFaultIntervalNanos <= 0) {
            throw new IllegalArgumentException("delays must be >= 0 and the fault interval > 0");
        }
    }

    /** @return a profile without faults: perfect links, no process faults */
    public static FaultProfile none() {
        return new FaultProfile(0, 0, 0, false, false, false, false, false, false, false, 500_000_000L);
    }

    /** @return every fault class on, moderately */
    public static FaultProfile all() {
        return new FaultProfile(0.05, 0.02, 20_000_000L, true, true, true, true, true, true, true, 300_000_000L);
    }

    /**
     * Draws a swarm profile: each class on with probability 1/2, parameters drawn per seed.
     *
     * @param random the run's profile generator
     * @return the profile
     */
    public static FaultProfile swarm(RandomGenerator random) {
        double drop = random.nextBoolean() ? random.nextDouble() * 0.2 : 0;
        double dup = random.nextBoolean() ? random.nextDouble() * 0.05 : 0;
        long delay = random.nextBoolean() ? 1_000_000L + random.nextLong(60_000_000L) : 0;
        return new FaultProfile(drop, dup, delay, random.nextBoolean(), random.nextBoolean(), random.nextBoolean(),
                random.nextBoolean(), random.nextBoolean(), random.nextBoolean(), random.nextInt(4) == 0,
                100_000_000L + random.nextLong(700_000_000L));
    }

    /** @return the number of fault classes switched on */
    public int classesOn() {
        return enabled().size();
    }

    /** @return the names of the fault classes switched on */
    public List<String> enabled() {
        List<String> on = new ArrayList<>();
        if (dropProbability > 0) {
            on.add("drop");
        }
        if (duplicateProbability > 0) {
            on.add("duplicate");
        }
        if (maxDelayNanos > 0) {
            on.add("delay");
        }
        if (partitions) {
            on.add("partition");
        }
        if (asymmetric) {
            on.add("asymmetric");
        }
        if (leaderIsolation) {
            on.add("isolate-leader");
        }
        if (crashes) {
            on.add("crash");
        }
        if (pauses) {
            on.add("pause");
        }
        if (clockSkew) {
            on.add("clock-skew");
        }
        if (storageFailures) {
            on.add("storage-failure");
        }
        return on;
    }
}
