package io.flotilla.sim.linearizability;

import java.util.Objects;

/**
 * The outcome of {@link LinearizabilityChecker#check}.
 *
 * @param verdict the verdict over all partitions: not linearizable if any partition is not, else unknown if any
 *     partition ran out of budget, else linearizable
 * @param operationsChecked operations that took part (failed operations excluded)
 * @param partitions the number of independent partitions checked
 * @param unknownPartitions partitions whose search ran out of budget
 * @param explanation empty when linearizable; otherwise a readable account of the first partition that is not
 *     (the longest linearizable prefix, the operation that could not be placed and the operations concurrent
 *     with it), or of the partitions that ran out of budget
 */
public record CheckResult(Verdict verdict, int operationsChecked, int partitions, int unknownPartitions,
        String explanation) {

    /** What the checker concluded. */
    public enum Verdict {
        /** Some total order respects real time and the model. */
        LINEARIZABLE,
        /** No such order exists. */
        NOT_LINEARIZABLE,
        /** The search ran out of budget before deciding. */
        UNKNOWN
    }

    /** Validates. */
    public CheckResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(explanation, "explanation");
    }

    /** @return whether the history was proven linearizable */
    public boolean isLinearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }
}
