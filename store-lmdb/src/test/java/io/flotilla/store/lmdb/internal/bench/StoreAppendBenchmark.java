package io.flotilla.store.lmdb.internal.bench;

import io.flotilla.Bytes;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.spi.LogStore;
import io.flotilla.spi.LogStoreProvider;
import io.flotilla.spi.Storage;
import io.flotilla.spi.StorageContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable append latency of the {@code file} and {@code lmdb} stores side by side, one body for both (each opened by
 * URI through its provider, with default options: fsync on): 256-byte entries in batches of 1, 16 and 256. Sample
 * mode: read the p0.50 rows; entries/s = batch / median. Every 200,000 entries the log is compacted to its last
 * 1,000 to bound the disk footprint (a ranged delete in LMDB, whole segment files in the file store), as a node
 * with snapshots would.
 *
 * <p>Not a unit test (Surefire never runs it). Run from the repository root (docs/store-lmdb.md):
 * <pre>
 * ./mvnw -q -B -Dflotilla.build.suffix=-bench test-compile dependency:build-classpath -pl store-lmdb -am \
 *     -Dmdep.outputFile=/tmp/lmdb-cp.txt -Dmdep.includeScope=test
 * java --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
 *     -cp store-lmdb/target-bench/test-classes:store-lmdb/target-bench/classes:$(cat /tmp/lmdb-cp.txt) \
 *     io.flotilla.store.lmdb.internal.bench.StoreAppendBenchmark -jvmArgsAppend -Dbench.dir=/var/tmp
 * </pre>
 * The {@code main} method is JMH's, restricted to this class; other JMH options pass through ({@code -p store=lmdb}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens",
        "java.base/sun.nio.ch=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class StoreAppendBenchmark {
    private static final int ENTRY = 256;
    private static final long COMPACT_EVERY = 200_000;
    private static final long KEEP = 1_000;

    /** The store's URI scheme. */
    @Param({"file", "lmdb"})
    public String store;

    /** Entries per append call. */
    @Param({"1", "16", "256"})
    public int batch;

    private Path dir;
    private Storage storage;
    private LogStore log;
    private long next = 1;
    private long compactedAt;
    private Bytes payload;

    /**
     * Runs JMH on this class only.
     *
     * @param args JMH options
     * @throws Exception if JMH fails
     */
    public static void main(String[] args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = StoreAppendBenchmark.class.getSimpleName();
        System.arraycopy(args, 0, all, 1, args.length);
        org.openjdk.jmh.Main.main(all);
    }

    /** Opens a fresh store. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))),
                "flotilla-bench-" + store);
        URI uri = URI.create(store + ":" + dir);
        LogStoreProvider provider = ServiceLoader.load(LogStoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.supports(uri)).findFirst().orElseThrow();
        storage = provider.open(uri, new StorageContext(NodeId.of("bench")));
        log = storage.log();
        byte[] b = new byte[ENTRY];
        new java.util.Random(1).nextBytes(b);
        payload = Bytes.unsafeWrap(b);
    }

    /**
     * Appends one batch, durably.
     *
     * @throws IOException if the store fails
     */
    @Benchmark
    public void appendDurable() throws IOException {
        List<LogEntry> es = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            es.add(LogEntry.command(next + i, 1, payload));
        }
        log.append(es);
        next += batch;
        if (next - compactedAt > COMPACT_EVERY) {
            log.compactPrefix(next - KEEP);
            compactedAt = next;
        }
    }

    /** Closes the store and deletes its files. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        storage.close();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
