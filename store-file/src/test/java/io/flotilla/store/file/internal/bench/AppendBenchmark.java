package io.flotilla.store.file.internal.bench;

import io.flotilla.Bytes;
import io.flotilla.LogEntry;
import io.flotilla.store.file.FileStoreOptions;
import io.flotilla.store.file.internal.io.RealFileIO;
import io.flotilla.store.file.internal.log.FileLogStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * Durable append latency of {@link FileLogStore} for 256-byte entries in batches of 1, 16 and 256, next to the raw
 * floor of the same directory: write 256 bytes into a preallocated file and {@code FileChannel.force(false)}.
 * Sample mode: read the p0.50 rows; entries/s = batch / median.
 *
 * <p>Not a unit test (Surefire never runs it). Run from the repository root (docs/store-file.md):
 * <pre>
 * ./mvnw -q -B -o -Dflotilla.build.suffix=-store test-compile -pl store-file -am
 * ./mvnw -q -B -o -Dflotilla.build.suffix=-store dependency:build-classpath -pl store-file -Dmdep.outputFile=/tmp/cp.txt
 * java -cp store-file/target-store/test-classes:store-file/target-store/classes:$(cat /tmp/cp.txt) \
 *     org.openjdk.jmh.Main AppendBenchmark -Dbench.dir=/var/tmp
 * </pre>
 * {@code -jvmArgsAppend -Dbench.dir=DIR} chooses the directory (default: the system temporary directory).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class AppendBenchmark {
    private static final int ENTRY = 256;

    /** Entries per append call. */
    @Param({"1", "16", "256"})
    public int batch;

    private Path dir;
    private FileLogStore log;
    private long next = 1;
    private Bytes payload;

    /** Opens a fresh store. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))),
                "flotilla-bench");
        log = FileLogStore.open(RealFileIO.INSTANCE, dir, FileStoreOptions.DEFAULT_SEGMENT_BYTES, 32L << 20, "bench",
                r -> {
                    Thread t = new Thread(r, "bench-preallocator");
                    t.setDaemon(true);
                    t.start();
                });
        byte[] b = new byte[ENTRY];
        new java.util.Random(1).nextBytes(b);
        payload = Bytes.unsafeWrap(b);
    }

    /** Appends one batch, durably. */
    @Benchmark
    public void appendDurable() throws IOException {
        List<LogEntry> es = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            es.add(LogEntry.command(next + i, 1, payload));
        }
        log.append(es);
        next += batch;
        if (log.segmentCount() > 2) {
            log.compactPrefix(next - 2); // keep the disk footprint small on long runs
        }
    }

    /** Closes the store and deletes its files. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        log.close();
        deleteTree(dir);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The raw floor: 256 bytes written into a preallocated file, then {@code force(false)}. */
    @State(Scope.Thread)
    public static class Raw {
        private static final long SIZE = 64L << 20;
        Path dir;
        FileChannel ch;
        ByteBuffer buf;
        long pos;

        /** Creates and preallocates the file. */
        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir",
                    System.getProperty("java.io.tmpdir"))), "flotilla-raw");
            ch = FileChannel.open(dir.resolve("raw"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long p = 0; p < SIZE; p += zeros.capacity()) {
                zeros.clear();
                ch.write(zeros, p);
            }
            ch.force(true);
            buf = ByteBuffer.allocateDirect(ENTRY);
        }

        /** Closes and deletes the file. */
        @TearDown(Level.Trial)
        public void close() throws IOException {
            ch.close();
            deleteTree(dir);
        }
    }

    /**
     * Writes 256 bytes and forces them: the fsync floor of the directory.
     *
     * @param raw the file
     * @throws IOException if writing failed
     */
    @Benchmark
    public void rawWrite256AndForce(Raw raw) throws IOException {
        raw.buf.clear();
        raw.ch.write(raw.buf, raw.pos);
        raw.ch.force(false);
        raw.pos = (raw.pos + ENTRY) % Raw.SIZE;
    }
}
