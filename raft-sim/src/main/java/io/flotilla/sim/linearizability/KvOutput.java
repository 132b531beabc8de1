package io.flotilla.sim.linearizability;

import java.util.Objects;
import java.util.Optional;

/** What a {@link KvInput} returned. Immutable. */
public sealed interface KvOutput permits KvOutput.Written, KvOutput.Read, KvOutput.Swapped {

    /** The answer to a {@link KvInput.Put}. */
    record Written() implements KvOutput {
        @Override
        public String toString() {
            return "ok";
        }
    }

    /**
     * The answer to a {@link KvInput.Get}.
     *
     * @param value the value read, or empty if the key was absent
     */
    record Read(Optional<String> value) implements KvOutput {
        /** Validates. */
        public Read {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return value.orElse("∅");
        }
    }

    /**
     * The answer to a {@link KvInput.Cas}.
     *
     * @param swapped whether the value was replaced
     */
    record Swapped(boolean swapped) implements KvOutput {
        @Override
        public String toString() {
            return swapped ? "swapped" : "not-swapped";
        }
    }

    /** The single {@link Written} instance. */
    KvOutput WRITTEN = new Written();
}
