package io.flotilla.message;

import io.flotilla.NodeId;
import java.util.Objects;

/** Shared validation for message records. */
final class Checks {
    private Checks() {}

    static void header(NodeId from, NodeId to, long term) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        nonNegative("term", term);
    }

    static void nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }
}
