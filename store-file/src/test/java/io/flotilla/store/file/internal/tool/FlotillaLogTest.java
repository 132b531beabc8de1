package io.flotilla.store.file.internal.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.HardState;
import io.flotilla.store.file.FileStoreOptions;
import io.flotilla.store.file.internal.Entries;
import io.flotilla.store.file.internal.FileStorage;
import io.flotilla.store.file.internal.io.RealFileIO;
import io.flotilla.store.file.internal.log.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlotillaLogTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void store() throws IOException {
        try (FileStorage s = FileStorage.open(RealFileIO.INSTANCE, dir, FileStoreOptions.defaults()
                .withSegmentBytes(4096).withSync(FileStoreOptions.SyncMode.UNSAFE_NO_FSYNC_FOR_TESTS), "tool")) {
            for (long i = 1; i <= 40; i++) {
                s.log().append(Entries.run(i, i, 2, 100));
            }
            s.state().save(HardState.of(2));
        }
    }

    private int run(String... args) {
        return FlotillaLog.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void verify_intactStore_exitsZero() {
        assertEquals(FlotillaLog.OK, run("verify", dir.toString()), out() + err);
        assertTrue(out().contains("40 entries checked"), out());
        assertTrue(out().contains("hard state: HardState[term=2"), out());
    }

    @Test
    void verify_flippedBitInASealedSegment_exitsOne_namingFileAndOffset() throws IOException {
        Path seg = dir.resolve("log").resolve(LogFormat.segmentName(1));
        long offset = LogFormat.SEGMENT_HEADER_BYTES + 2L * (LogFormat.RECORD_HEADER_BYTES + 100);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(offset + 50);
            int b = f.read();
            f.seek(offset + 50);
            f.write(b ^ 1);
        }
        assertEquals(FlotillaLog.CORRUPT, run("verify", dir.toString()), out());
        assertTrue(out().contains("CORRUPT " + seg + " at offset " + offset), out());
    }

    @Test
    void verify_tornTail_isOnlyAWarning_exitsZero() throws IOException {
        Path seg;
        try (var names = Files.list(dir.resolve("log"))) {
            seg = names.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        long first = LogFormat.parseSegmentName(seg.getFileName().toString());
        long end = LogFormat.SEGMENT_HEADER_BYTES + (40 - first + 1) * (LogFormat.RECORD_HEADER_BYTES + 100);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(end); // half a record of a batch that "never finished": a header, then unwritten sectors
            byte[] header = new byte[LogFormat.RECORD_HEADER_BYTES];
            java.nio.ByteBuffer.wrap(header).putInt(600).putInt(1).putLong(41).putLong(2).putLong(41).put((byte) 1);
            f.write(header);
        }
        assertEquals(FlotillaLog.OK, run("verify", dir.toString()), out());
        assertTrue(out().contains("WARNING " + seg + " at offset " + end + ": torn write"), out());
    }

    @Test
    void verify_bothHardStateSlotsZeroed_exitsOne() throws IOException {
        Files.write(dir.resolve("state").resolve("hardstate"), new byte[1024]);
        assertEquals(FlotillaLog.CORRUPT, run("verify", dir.toString()), out());
        assertTrue(out().contains("both hard-state slots"), out());
    }

    @Test
    void dump_printsEntriesInRange_withPayloadPrefix() {
        assertEquals(FlotillaLog.OK, run("dump", dir.toString(), "--from", "5", "--to", "8", "--payload"), err.toString());
        String[] lines = out().strip().split("\n");
        assertEquals(3, lines.length, out());
        assertTrue(lines[0].startsWith("5\t2\tCOMMAND\t100\t" + Entries.entry(5, 2, 100).payload().slice(0, 64).hex()),
                lines[0]);
        assertTrue(lines[2].startsWith("7\t"), lines[2]);
    }

    @Test
    void usageErrors_exitTwo() {
        assertEquals(FlotillaLog.USAGE, run());
        assertEquals(FlotillaLog.USAGE, run("frobnicate", dir.toString()));
        assertEquals(FlotillaLog.USAGE, run("verify", dir.resolve("missing").toString()));
        assertEquals(FlotillaLog.USAGE, run("dump", dir.toString(), "--from", "x"));
        assertEquals(FlotillaLog.USAGE, run("dump", dir.toString(), "--colour"));
    }
}
