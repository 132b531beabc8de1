package io.flotilla.testkit.mem;

/**
 * Faults a {@link MemNetwork} applies to every message on one directed link: loss, duplication and delay.
 * Delays drawn uniformly from {@code [minDelayNanos, maxDelayNanos]} reorder messages whenever the range is
 * wider than the gap between sends.
 *
 * <p>Immutable and thread-safe.
 *
 * @param dropProbability chance in {@code [0, 1]} that a message is lost
 * @param duplicateProbability chance in {@code [0, 1]} that a delivered message is delivered twice (each copy
 *     with its own delay)
 * @param minDelayNanos the shortest delay, at least 0
 * @param maxDelayNanos the longest delay, at least {@code minDelayNanos}
 */
public record LinkFaults(double dropProbability, double duplicateProbability, long minDelayNanos,
        long maxDelayNanos) {
    /** A perfect link: no loss, no duplicates, no delay. */
    public static final LinkFaults NONE = new LinkFaults(0, 0, 0, 0);

    /**
     * Validates the faults.
     *
     * @param dropProbability the loss probability
     * @param duplicateProbability the duplication probability
     * @param minDelayNanos the minimum delay
     * @param maxDelayNanos the maximum delay
     * @throws IllegalArgumentException if a probability is outside {@code [0, 1]} (or NaN), a delay is negative,
     *     or {@code maxDelayNanos < minDelayNanos}
     */
    public LinkFaults {
        if (!(dropProbability >= 0 && dropProbability <= 1)) {
            throw new IllegalArgumentException("dropProbability must be in [0, 1], got " + dropProbability);
        }
        if (!(duplicateProbability >= 0 && duplicateProbability <= 1)) {
            throw new IllegalArgumentException(
                    "duplicateProbability must be in [0, 1], got " + duplicateProbability);
        }
        if (minDelayNanos < 0 || maxDelayNanos < minDelayNanos) {
            throw new IllegalArgumentException("delays must satisfy 0 <= minDelayNanos <= maxDelayNanos, got "
                    + minDelayNanos + " and " + maxDelayNanos);
        }
    }

    /**
     * Returns a link that only loses messages.
     *
     * @param dropProbability the loss probability
     * @return the faults
     */
    public static LinkFaults dropping(double dropProbability) {
        return new LinkFaults(dropProbability, 0, 0, 0);
    }

    /**
     * Returns a link that only delays messages, uniformly in a range.
     *
     * @param minDelayNanos the minimum delay
     * @param maxDelayNanos the maximum delay
     * @return the faults
     */
    public static LinkFaults delaying(long minDelayNanos, long maxDelayNanos) {
        return new LinkFaults(0, 0, minDelayNanos, maxDelayNanos);
    }
}
