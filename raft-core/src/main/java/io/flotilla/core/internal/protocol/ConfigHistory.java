package io.flotilla.core.internal.protocol;

import io.flotilla.ClusterConfig;
import java.util.ArrayList;

/**
 * The configurations in the log after the snapshot (thesis §4.1: "a server always uses the latest configuration
 * in its log, regardless of whether the entry is committed"). Keeping each one with its index lets a truncation
 * revert to the configuration that was in force before the removed entries.
 *
 * <p><b>Threading:</b> not thread-safe; used only on the event loop.
 */
final class ConfigHistory {
    private ClusterConfig base;
    private long baseIndex;
    // Invariant: indices strictly increase and are all > baseIndex.
    private final ArrayList<Long> indices = new ArrayList<>();
    private final ArrayList<ClusterConfig> configs = new ArrayList<>();

    ConfigHistory(ClusterConfig base, long baseIndex) {
        this.base = base;
        this.baseIndex = baseIndex;
    }

    ClusterConfig current() {
        return configs.isEmpty() ? base : configs.get(configs.size() - 1);
    }

    /** Records a configuration entry appended at {@code index}. */
    void append(long index, ClusterConfig config) {
        indices.add(index);
        configs.add(config);
    }

    /**
     * Forgets configurations at or after {@code index} (their entries were truncated).
     *
     * @return whether any was removed
     */
    boolean truncateFrom(long index) {
        boolean removed = false;
        while (!indices.isEmpty() && indices.get(indices.size() - 1) >= index) {
            indices.remove(indices.size() - 1);
            configs.remove(configs.size() - 1);
            removed = true;
        }
        return removed;
    }

    /** Folds configurations whose entries are committed into the base: they can never be truncated. */
    void compact(long committed) {
        while (indices.size() > 1 && indices.get(1) <= committed) {
            indices.remove(0);
            configs.remove(0);
        }
        if (!indices.isEmpty() && indices.get(0) <= committed) {
            base = configs.remove(0);
            baseIndex = indices.remove(0);
        }
    }

    /**
     * A snapshot up to {@code index} was installed (§7): its configuration becomes the base. Logged configurations
     * after it stay if the log's suffix was kept, and go with the log otherwise.
     *
     * @param config the snapshot's configuration
     * @param index the snapshot's last included index
     * @param suffixKept whether the log after the snapshot was kept
     */
    void restore(ClusterConfig config, long index, boolean suffixKept) {
        int keepFrom = 0;
        while (keepFrom < indices.size() && indices.get(keepFrom) <= index) {
            keepFrom++;
        }
        indices.subList(0, suffixKept ? keepFrom : indices.size()).clear();
        configs.subList(0, suffixKept ? keepFrom : configs.size()).clear();
        base = config;
        baseIndex = index;
    }

    /** @return how many uncompacted configurations the log holds (for tests) */
    int size() {
        return configs.size();
    }

    @Override
    public String toString() {
        return "ConfigHistory[base@" + baseIndex + "=" + base + ", log=" + indices + "]";
    }
}
