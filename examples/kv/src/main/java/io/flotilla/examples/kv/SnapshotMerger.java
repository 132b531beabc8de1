package io.flotilla.examples.kv;

import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Merges a snapshot chain (a full base and its deltas, oldest first) into one full part, streaming: one record
 * of each part is in memory at a time. Every part is sorted by key, so this is a k-way merge in which, for each
 * key, the newest part wins and a tombstone removes the key. The output is byte-for-byte what
 * {@link KvStateMachine#prepareSnapshot} writes after restoring the chain.
 *
 * <p><b>Threading:</b> stateless; runs on the snapshot thread without touching live state. <b>Failure:</b> a
 * damaged part or a chain that does not link up fails with an {@link IOException}; what was written to the output
 * by then is to be discarded.
 */
final class SnapshotMerger {
    private SnapshotMerger() {}

    /** A part's current record, ordered by key and then newest part first. */
    private record Head(SnapshotFormat.Record record, int part) {}

    private static final Comparator<Head> ORDER = Comparator.<Head, String>comparing(h -> h.record().key())
            .thenComparing(Comparator.comparingInt(Head::part).reversed());

    static void merge(List<SnapshotPart> chain, OutputStream out) throws IOException {
        if (chain.isEmpty()) {
            throw new IOException("empty snapshot chain");
        }
        List<SnapshotFormat.Reader> readers = new ArrayList<>();
        try {
            long index = 0;
            for (int i = 0; i < chain.size(); i++) {
                SnapshotFormat.Reader r = open(chain.get(i), i, index);
                readers.add(r);
                index = r.lastAppliedIndex();
            }
            PriorityQueue<Head> heads = new PriorityQueue<>(ORDER);
            for (int i = 0; i < readers.size(); i++) {
                advance(readers, i, heads);
            }
            SnapshotFormat.Writer w = new SnapshotFormat.Writer(out, SnapshotFormat.KIND_FULL, index, 0);
            while (!heads.isEmpty()) {
                Head newest = heads.poll();
                advance(readers, newest.part(), heads);
                // Older parts' records of the same key are superseded.
                while (!heads.isEmpty() && heads.peek().record().key().equals(newest.record().key())) {
                    Head older = heads.poll();
                    advance(readers, older.part(), heads);
                }
                if (!newest.record().isTombstone()) {
                    w.write(newest.record());
                }
            }
            w.finish();
        } finally {
            closeAll(readers);
        }
    }

    private static void advance(List<SnapshotFormat.Reader> readers, int part, PriorityQueue<Head> heads)
            throws IOException {
        Optional<SnapshotFormat.Record> next = readers.get(part).next();
        next.ifPresent(r -> heads.add(new Head(r, part)));
    }

    /**
     * Opens part {@code position} of a chain and checks that it links up: the first is full, each later one a
     * delta on the previous part's index, and the stream's header agrees with the part's metadata.
     */
    static SnapshotFormat.Reader open(SnapshotPart part, int position, long previousIndex) throws IOException {
        String name = "#" + position + " (" + part.kind() + " at " + part.meta().lastIncludedIndex() + ")";
        SnapshotFormat.Reader r = new SnapshotFormat.Reader(part.open(), name);
        try {
            int expectedKind = position == 0 ? SnapshotFormat.KIND_FULL : SnapshotFormat.KIND_DELTA;
            boolean metaFull = part.kind() == SnapshotKind.FULL;
            if (r.kind() != expectedKind || metaFull != (expectedKind == SnapshotFormat.KIND_FULL)) {
                throw new IOException("snapshot part " + name + ": expected a "
                        + (position == 0 ? "full base" : "delta") + " at this position of the chain");
            }
            if (r.lastAppliedIndex() != part.meta().lastIncludedIndex()) {
                throw new IOException("snapshot part " + name + ": its data is at index " + r.lastAppliedIndex());
            }
            if (position > 0 && r.baseIndex() != previousIndex) {
                throw new IOException("snapshot part " + name + ": a delta on " + r.baseIndex()
                        + " does not follow the part at " + previousIndex);
            }
            return r;
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private static void closeAll(List<SnapshotFormat.Reader> readers) throws IOException {
        IOException first = null;
        for (SnapshotFormat.Reader r : readers) {
            try {
                r.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
