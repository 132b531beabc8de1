package io.flotilla.bench.store;

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
 * A durable log append through the storage SPI, one body for every backend (STYLE.md §10): {@code LogStore.append}
 * of {@code batch} 256-byte entries, which returns only when they are durable (the file store: one write and one
 * {@code fdatasync} per call). The backend is chosen by URI scheme through {@link ServiceLoader}, so a new backend
 * is measured by adding its scheme to {@link #scheme} and its dependency to the module. The log is compacted as it
 * goes, so its size stays bounded.
 *
 * <pre>{@code java -cp <classpath> org.openjdk.jmh.Main LogAppendBenchmark}</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LogAppendBenchmark {
    /** The storage URI scheme. */
    @Param({"file", "mem"})
    public String scheme;

    /** Entries per append call (the core batches every proposal made while the previous write was in flight). */
    @Param({"1", "64"})
    public int batch;

    private Path dir;
    private Storage storage;
    private LogStore log;
    private long next = 1;
    private Bytes command;

    /**
     * Opens a fresh store.
     *
     * @throws IOException if it cannot be opened
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("flotilla-append-bench");
        URI location = scheme.equals("mem") ? URI.create("mem:append-bench?reset=true")
                : URI.create(scheme + ":" + dir.toAbsolutePath());
        LogStoreProvider provider = ServiceLoader.load(LogStoreProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.supports(location)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no storage provider for " + location));
        storage = provider.open(location, new StorageContext(NodeId.of("n1")));
        log = storage.log();
        command = Bytes.copyOf(new byte[256]);
    }

    /**
     * Appends one batch durably.
     *
     * @return the new last index
     * @throws IOException if the store fails
     */
    @Benchmark
    public long append() throws IOException {
        List<LogEntry> entries = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            entries.add(LogEntry.command(next++, 1, command));
        }
        log.append(entries);
        if (next % 65_536 < batch) {
            log.compactPrefix(next - 1_024);
        }
        return next;
    }

    /**
     * Closes the store and deletes its files.
     *
     * @throws IOException if deletion fails
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        storage.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
