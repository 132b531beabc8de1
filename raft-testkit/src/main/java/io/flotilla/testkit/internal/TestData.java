package io.flotilla.testkit.internal;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import java.net.URI;
import java.util.Map;
import java.util.SplittableRandom;

/** Deterministic sample data for the suites. */
public final class TestData {
    private TestData() {}

    /**
     * Returns an entry whose payload is a pure function of index, term and size, so any reader can check it.
     *
     * @param index the index
     * @param term the term
     * @param size the payload size
     * @return the entry
     */
    public static LogEntry entry(long index, long term, int size) {
        return LogEntry.command(index, term, payload(index * 31 + term, size));
    }

    /**
     * Returns pseudo-random bytes derived from a seed.
     *
     * @param seed the seed
     * @param size how many bytes
     * @return the bytes
     */
    public static Bytes payload(long seed, int size) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return Bytes.unsafeWrap(b);
    }

    /**
     * Returns a small voter configuration.
     *
     * @return a configuration of three voters
     */
    public static ClusterConfig config() {
        return ClusterConfig.ofVoters(Map.of(
                NodeId.of("n1"), URI.create("mem://n1"),
                NodeId.of("n2"), URI.create("mem://n2"),
                NodeId.of("n3"), URI.create("mem://n3")));
    }

    /**
     * Returns snapshot metadata at an index.
     *
     * @param index the last included index
     * @param term the last included term
     * @return the metadata
     */
    public static SnapshotMeta meta(long index, long term) {
        return new SnapshotMeta(index, term, config());
    }
}
