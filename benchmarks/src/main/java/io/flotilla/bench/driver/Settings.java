package io.flotilla.bench.driver;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The settings of one driver run, identical for every system compared.
 *
 * @param system the implementation ({@link BenchClusterFactory#name()})
 * @param transport the transport URI scheme: {@code grpc} (real loopback sockets), {@code mem} (in-process, no
 *     network), or any other scheme a transport provider on the class path supports; competitors map {@code mem}
 *     to their in-memory setup and anything else to their own network transport
 * @param store the storage URI scheme: {@code file} (fsync on every durable write), {@code mem} (no disk), or any
 *     other scheme a storage provider on the class path supports
 * @param processes 1 for three nodes in one JVM, 3 for the leader in this JVM and two followers in child JVMs
 * @param dataDir where file stores live (a fresh sub-directory per cluster)
 * @param commandBytes the size of each command
 * @param concurrencies the closed-loop client counts, one measured level each
 * @param warmupSeconds warm-up before each level's measured window
 * @param measureSeconds the measured window of each level
 * @param runs how many times the whole sweep repeats (medians over runs are reported)
 */
public record Settings(
        String system, String transport, String store, int processes, Path dataDir, int commandBytes,
        List<Integer> concurrencies, int warmupSeconds, int measureSeconds, int runs) {
    /**
     * Validates.
     *
     * @param system see above
     * @param transport see above
     * @param store see above
     * @param processes see above
     * @param dataDir see above
     * @param commandBytes see above
     * @param concurrencies see above
     * @param warmupSeconds see above
     * @param measureSeconds see above
     * @param runs see above
     */
    public Settings {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(store, "store");
        if (processes != 1 && processes != 3) {
            throw new IllegalArgumentException("processes must be 1 or 3: " + processes);
        }
        concurrencies = List.copyOf(concurrencies);
        if (commandBytes < 8 || measureSeconds < 1 || warmupSeconds < 0 || runs < 1 || concurrencies.isEmpty()) {
            throw new IllegalArgumentException("bad settings " + concurrencies + " " + commandBytes + " B, warm-up "
                    + warmupSeconds + " s, measure " + measureSeconds + " s, runs " + runs);
        }
    }

    /**
     * Returns whether the log is written to disk with fsync.
     *
     * @return whether the store is anything but {@code mem}
     */
    public boolean durable() {
        return !store.equals("mem");
    }
}
