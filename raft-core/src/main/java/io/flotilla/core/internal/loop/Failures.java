package io.flotilla.core.internal.loop;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Text for failure reports. Stateless; thread-safe. */
final class Failures {

    private static final int MAX_DEPTH = 8;

    private Failures() {}

    /**
     * The cause and its causes, outermost first. The first thread to notice a failed store may see only "store
     * failed earlier", whose cause is the error an operator needs (e.g. the {@code fsync} that failed), so the
     * node's failure text names the whole chain.
     *
     * @param cause the failure, may be null
     * @return e.g. {@code "StoreFailedException: failed earlier; caused by java.io.IOException: fsync: EIO"}
     */
    static String describeChain(Throwable cause) {
        StringBuilder sb = new StringBuilder(String.valueOf(cause));
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(cause);
        Throwable c = cause == null ? null : cause.getCause();
        while (c != null && seen.add(c) && seen.size() <= MAX_DEPTH) {
            sb.append("; caused by ").append(c);
            c = c.getCause();
        }
        return sb.toString();
    }
}
