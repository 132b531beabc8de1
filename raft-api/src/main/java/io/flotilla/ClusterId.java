package io.flotilla;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identity of one Raft cluster. Transports stamp it on every message and drop messages whose cluster id
 * differs from their own, so a node that is pointed at the wrong peers by mistake cannot join or disrupt a
 * foreign cluster.
 *
 * <p>Same syntax as {@link NodeId}: 1 to 64 characters of {@code [A-Za-z0-9._-]}.
 *
 * @param value the id text
 */
public record ClusterId(String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * Validates the id.
     *
     * @param value the id text
     * @throws IllegalArgumentException if the text is not 1-64 characters of {@code [A-Za-z0-9._-]}
     */
    public ClusterId {
        Objects.requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "cluster id must be 1-64 characters of [A-Za-z0-9._-], got \"" + value + "\"");
        }
    }

    /**
     * Returns the cluster id with the given text.
     *
     * @param value the id text
     * @return the id
     * @throws IllegalArgumentException if the text is not a valid id
     */
    public static ClusterId of(String value) {
        return new ClusterId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
