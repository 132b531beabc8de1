package io.flotilla.store.file.internal.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.spi.SnapshotKind;
import io.flotilla.store.file.internal.io.RealFileIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline check of a snapshot directory: the manifest, its chain and every part file. */
class SnapshotCheckTest {
    @TempDir
    Path dir;

    private List<Path> chain() throws IOException {
        try (FileSnapshotStore s = FileSnapshotStore.open(RealFileIO.INSTANCE, dir)) {
            FileSnapshotStoreTest.commit(s, 10, SnapshotKind.FULL, FileSnapshotStoreTest.data(100_000, 1));
            FileSnapshotStoreTest.commit(s, 20, SnapshotKind.DELTA, FileSnapshotStoreTest.data(1000, 2));
            return s.chainFiles();
        }
    }

    private List<String> check(ByteArrayOutputStream out) throws IOException {
        return SnapshotCheck.verifyAll(dir, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Test
    void intactChain_hasNoProblems_andPrintsTheChain() throws IOException {
        chain();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(List.of(), check(out));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("chain of 2 part(s)") && text.contains("FULL index 10") && text.contains(
                "DELTA index 20"), text);
    }

    @Test
    void damagedManifest_andMissingOrDamagedParts_areEachReported() throws IOException {
        List<Path> parts = chain();
        Files.delete(parts.get(1));
        byte[] base = Files.readAllBytes(parts.get(0));
        base[50_000] ^= 1;
        Files.write(parts.get(0), base);
        List<String> problems = check(new ByteArrayOutputStream());
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(parts.get(1).toString()) && problems.get(0).contains("missing"),
                problems.get(0));
        assertTrue(problems.get(1).contains(parts.get(0).toString()), problems.get(1));
        Path manifest = dir.resolve(FileSnapshotStore.MANIFEST);
        byte[] m = Files.readAllBytes(manifest);
        m[21] ^= 1;
        Files.write(manifest, m);
        problems = check(new ByteArrayOutputStream());
        assertTrue(problems.get(0).contains(manifest.toString()), problems.toString());
    }
}
