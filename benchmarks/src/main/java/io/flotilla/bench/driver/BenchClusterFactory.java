package io.flotilla.bench.driver;

/**
 * Starts a {@link BenchCluster} of one Raft implementation; found with {@link java.util.ServiceLoader} (the
 * competitors' factories are compiled only in the {@code competitors} Maven profile).
 *
 * <p>Threading: called from the driver's main thread only. Blocking: {@link #start} blocks until the cluster has
 * a leader. Failure: throws if the cluster cannot start or elect a leader within a minute.
 */
public interface BenchClusterFactory {
    /**
     * Returns the name chosen with {@code --system}, such as {@code flotilla} or {@code sofajraft}.
     *
     * @return the name
     */
    String name();

    /**
     * Starts a 3-node cluster with these settings and waits for a leader.
     *
     * @param settings the run's settings
     * @return the started cluster
     * @throws Exception if it cannot start
     */
    BenchCluster start(Settings settings) throws Exception;
}
