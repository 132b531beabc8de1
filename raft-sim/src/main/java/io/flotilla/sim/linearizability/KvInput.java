package io.flotilla.sim.linearizability;

import java.util.Objects;
import java.util.Optional;

/**
 * An operation on a key-value register store, as checked by {@link KvModel}. Immutable.
 */
public sealed interface KvInput permits KvInput.Put, KvInput.Get, KvInput.Cas {

    /** @return the key the operation touches */
    String key();

    /**
     * Writes {@code value} under {@code key}. Output: {@link KvOutput.Written}.
     *
     * @param key the key
     * @param value the value; workloads make written values unique so histories check fast
     */
    record Put(String key, String value) implements KvInput {
        /** Validates. */
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "put(" + key + "," + value + ")";
        }
    }

    /**
     * Reads {@code key}. Output: {@link KvOutput.Read}.
     *
     * @param key the key
     */
    record Get(String key) implements KvInput {
        /** Validates. */
        public Get {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String toString() {
            return "get(" + key + ")";
        }
    }

    /**
     * Sets {@code key} to {@code newValue} if it currently holds {@code expected} (empty: absent). Output:
     * {@link KvOutput.Swapped}.
     *
     * @param key the key
     * @param expected the value required, or empty to require that the key is absent
     * @param newValue the value to write
     */
    record Cas(String key, Optional<String> expected, String newValue) implements KvInput {
        /** Validates. */
        public Cas {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(newValue, "newValue");
        }

        @Override
        public String toString() {
            return "cas(" + key + "," + expected.orElse("∅") + "→" + newValue + ")";
        }
    }
}
