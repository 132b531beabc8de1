package io.flotilla.sim;

import io.flotilla.sim.linearizability.CheckResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one simulation run.
 *
 * @param seed the seed
 * @param voters the cluster size used
 * @param clients the number of clients used
 * @param faultClasses the fault classes that were on
 * @param events events executed
 * @param faults fault actions injected (network configuration, partitions, crashes, pauses, storage errors)
 * @param simNanos virtual time simulated
 * @param wallNanos wall time taken
 * @param opsOk client operations that completed
 * @param opsUnknown client operations whose outcome is unknown (timeouts, indeterminate)
 * @param opsFailed client operations that definitely failed
 * @param linearizability the history check, if the run got that far
 * @param violation the first violated property, if any (safety, liveness after heal, or linearizability)
 * @param traceHash a hash of every event's (time, sequence) and every client result: equal for replays
 * @param details a few diagnostic facts (leader terms, committed and applied indices)
 * @param snapshotChunks InstallSnapshot chunks delivered (§7)
 * @param restores state-machine restores from snapshots (restarts and installs)
 */
public record SimReport(long seed, int voters, int clients, List<String> faultClasses, long events, long faults,
        long simNanos, long wallNanos, int opsOk, int opsUnknown, int opsFailed,
        Optional<CheckResult> linearizability, Optional<String> violation, long traceHash, String details,
        long snapshotChunks, long restores) {

    /** Validates. */
    public SimReport {
        faultClasses = List.copyOf(faultClasses);
        Objects.requireNonNull(linearizability, "linearizability");
        Objects.requireNonNull(violation, "violation");
        Objects.requireNonNull(details, "details");
    }

    /** @return whether every check passed */
    public boolean passed() {
        return violation.isEmpty();
    }

    /**
     * Tells liveness failures (no leader, or replicas not converged, after healing) from safety and
     * linearizability violations.
     *
     * @return whether the run failed only for liveness
     */
    public boolean isLivenessFailure() {
        return violation.isPresent() && violation.get().startsWith("liveness");
    }

    /** @return operations checked for linearizability (completed plus unknown) */
    public int opsChecked() {
        return linearizability.map(CheckResult::operationsChecked).orElse(0);
    }

    /**
     * Returns the command that replays this run, for a run of {@code SimOptions.defaults(seed)}.
     *
     * @param testClass the test class that replays it
     * @return a shell command
     */
    public String replayCommand(String testClass) {
        return replayCommand(testClass, new String[0]);
    }

    /**
     * Returns the command that replays this run, with system properties that make the replaying test choose the
     * same options as the run beyond its seed (e.g. {@code -Dsim.config=snapshots} for {@code SimulationTest}).
     *
     * @param testClass the test class that replays it
     * @param properties {@code -Dname=value} arguments, appended in order
     * @return a shell command
     */
    public String replayCommand(String testClass, String... properties) {
        StringBuilder sb = new StringBuilder("./mvnw -B -Dflotilla.build.suffix=-sim -pl raft-sim -am verify -Dsim.seed=")
                .append(seed);
        for (String p : properties) {
            sb.append(' ').append(p);
        }
        return sb.append(" -Dtest=").append(testClass).append(" -Dsurefire.failIfNoSpecifiedTests=false").toString();
    }

    @Override
    public String toString() {
        return "seed " + seed + ": " + (passed() ? "passed" : "VIOLATION " + violation.get()) + " · " + voters
                + " voters · " + clients + " clients · faults " + faultClasses + " · " + events + " events · "
                + faults + " fault actions · " + simNanos / 1_000_000 + " ms simulated · ops ok/unknown/failed "
                + opsOk + "/" + opsUnknown + "/" + opsFailed + " · " + details + " · trace "
                + Long.toHexString(traceHash);
    }
}
