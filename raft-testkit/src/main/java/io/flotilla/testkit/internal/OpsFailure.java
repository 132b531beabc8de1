package io.flotilla.testkit.internal;

import java.util.List;

/**
 * A run of an operation list failed: which operation, what the operations that ran were (described with the
 * values they resolved to), and the original failure as the cause. Thrown by {@link LogStoreChecker},
 * {@link SnapshotModelRun} and {@link StateStoreRun}; {@link Shrinker} compares failures by the cause's class.
 */
public final class OpsFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    /** {@link #failedAt()} when the failure happened before the first operation (opening the store). */
    public static final int AT_OPEN = -1;

    private final int failedAt;
    private final List<String> trace;

    /**
     * Creates the failure.
     *
     * @param failedAt the index of the failing operation in the list; {@link #AT_OPEN} before the first, the
     *     list's size in the final checks after the last
     * @param trace one line per operation that ran, the failing one last
     * @param cause what failed
     */
    public OpsFailure(int failedAt, List<String> trace, Throwable cause) {
        super(message(failedAt, trace, cause), cause);
        this.failedAt = failedAt;
        this.trace = List.copyOf(trace);
    }

    /**
     * Returns where the run failed.
     *
     * @return the index of the failing operation, {@link #AT_OPEN}, or the list's size (final checks)
     */
    public int failedAt() {
        return failedAt;
    }

    /**
     * Returns the operations that ran, the failing one last.
     *
     * @return one line per operation
     */
    public List<String> trace() {
        return trace;
    }

    /** Starts the trace line of the checks after the last operation; it is printed without a number. */
    public static final String END = "(end) ";

    /**
     * Formats an operation trace: one numbered operation per line, indented; the final checks unnumbered.
     *
     * @param trace the trace
     * @return the lines
     */
    public static String format(List<String> trace) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < trace.size(); i++) {
            String line = trace.get(i);
            if (line.startsWith(END)) {
                b.append(String.format("%n       then: %s", line.substring(END.length())));
            } else {
                b.append(String.format("%n  %3d. %s", i + 1, line));
            }
        }
        return b.toString();
    }

    /**
     * Returns "1 operation", "2 operations", ...
     *
     * @param n how many
     * @return the phrase
     */
    public static String operations(int n) {
        return n + (n == 1 ? " operation" : " operations");
    }

    private static String message(int failedAt, List<String> trace, Throwable cause) {
        String where = failedAt == AT_OPEN ? "when opening the store"
                : "at operation " + trace.size() + " (" + (trace.isEmpty() ? "?" : trace.get(trace.size() - 1)) + ")";
        return "the store diverged from the model " + where + ": " + cause + "\nOperations that ran:"
                + format(trace);
    }
}
