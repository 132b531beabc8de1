package io.flotilla;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identity of one member of a Raft cluster, stable across restarts.
 *
 * <p>An id is 1 to 64 characters of {@code [A-Za-z0-9._-]} so it can appear unescaped in file names,
 * URIs, metric tags and log lines. Ids compare by their string value, which gives every collection of ids a
 * deterministic order.
 *
 * @param value the id text
 */
public record NodeId(String value) implements Comparable<NodeId> {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * Validates the id.
     *
     * @param value the id text
     * @throws IllegalArgumentException if the text is empty, longer than 64 characters or has other characters
     *     than letters, digits, {@code .}, {@code _} and {@code -}
     */
    public NodeId {
        Objects.requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "node id must be 1-64 characters of [A-Za-z0-9._-], got \"" + value + "\"");
        }
    }

    /**
     * Returns the id with the given text.
     *
     * @param value the id text, see the class documentation for the allowed form
     * @return the id
     * @throws IllegalArgumentException if the text is not a valid id
     */
    public static NodeId of(String value) {
        return new NodeId(value);
    }

    @Override
    public int compareTo(NodeId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
