package io.flotilla.store.file.internal.snapshot;

import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.store.file.internal.io.FileHandle;
import io.flotilla.store.file.internal.io.RealFileIO;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Read-only verification of a snapshot directory (manifest and every part file), for the offline tool. Stateless. */
public final class SnapshotCheck {
    private SnapshotCheck() {}

    /**
     * Verifies the manifest and the header and every block of each part file; reports parts the manifest names
     * that are missing. Parts outside the chain are verified too and marked as such (the next open deletes them).
     *
     * @param dir the snapshot directory
     * @param out where the chain and each part's summary are printed
     * @return one line per problem (file and offset)
     * @throws IOException if the directory cannot be listed
     */
    public static List<String> verifyAll(Path dir, PrintStream out) throws IOException {
        List<String> problems = new ArrayList<>();
        Set<Path> chain = new HashSet<>();
        Path manifest = dir.resolve(Manifest.NAME);
        if (Files.exists(manifest)) {
            try (FileHandle h = RealFileIO.INSTANCE.openReadOnly(manifest)) {
                Manifest.Contents m = Manifest.read(h, manifest);
                out.println("snapshot " + Manifest.NAME + ": commit " + m.sequence() + ", chain of "
                        + m.chain().size() + " part(s)");
                for (Manifest.Entry e : m.chain()) {
                    Path p = e.file(dir);
                    chain.add(p);
                    if (!Files.exists(p)) {
                        problems.add("corrupt data in " + p + ": snapshot part named by " + Manifest.NAME
                                + " is missing");
                    }
                }
            } catch (CorruptedStoreException e) {
                problems.add(e.getMessage());
            }
        }
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
                        + " bytes" + (chain.contains(p) ? "" : " (not in the chain; deleted on the next open)"));
            } catch (CorruptedStoreException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }
}
