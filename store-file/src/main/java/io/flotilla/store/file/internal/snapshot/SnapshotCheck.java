package io.flotilla.store.file.internal.snapshot;

import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.store.file.internal.io.FileHandle;
import io.flotilla.store.file.internal.io.RealFileIO;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Read-only verification of every snapshot part in a directory, for the offline tool. Stateless. */
public final class SnapshotCheck {
    private SnapshotCheck() {}

    /**
     * Verifies the header and every block of each part file.
     *
     * @param dir the snapshot directory
     * @param out where each part's summary is printed
     * @return one line per damaged part (file and offset)
     * @throws IOException if the directory cannot be listed
     */
    public static List<String> verifyAll(Path dir, PrintStream out) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> parts = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(PartFormat.SUFFIX)).sorted().forEach(parts::add);
        }
        for (Path p : parts) {
            try (FileHandle h = RealFileIO.INSTANCE.openReadOnly(p)) {
                PartFormat.Header header = PartFormat.readHeader(h, p);
                long size = PartFormat.verify(h, p, header.length());
                out.println("snapshot " + p.getFileName() + ": " + header.kind() + " index "
                        + header.meta().lastIncludedIndex() + " term " + header.meta().lastIncludedTerm() + ", " + size
                        + " bytes");
            } catch (CorruptedStoreException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }
}
