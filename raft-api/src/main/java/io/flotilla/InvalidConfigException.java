package io.flotilla;

import java.util.List;

/**
 * A configuration object failed validation. The message lists every violation at once, so a wrong
 * configuration is fixed in one round rather than one field at a time.
 *
 * <p>This is a programmer or deployment error reported synchronously by a {@code build()} method; it is an
 * {@link IllegalArgumentException} rather than a {@link RaftException}.
 */
public final class InvalidConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> violations;

    /**
     * Creates the exception.
     *
     * @param what the kind of configuration, for example {@code "RaftConfig"}
     * @param violations one human-readable line per violated rule; not empty
     */
    public InvalidConfigException(String what, List<String> violations) {
        super("invalid " + what + " (" + violations.size() + " problem" + (violations.size() == 1 ? "" : "s")
                + "): " + String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    /**
     * Returns the violated rules.
     *
     * @return one line per violation
     */
    public List<String> violations() {
        return violations;
    }
}
