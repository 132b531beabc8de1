package io.flotilla.examples.kv;

import io.flotilla.Bytes;
import io.flotilla.spi.SnapshotImage;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.StateMachine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pcollections.TreePMap;

/**
 * A replicated key-value map: put, get, delete and compare-and-set, with full and incremental snapshots.
 *
 * <h2>State</h2>
 * The state is held in persistent (immutable, structure-sharing) sorted maps from the pcollections library, so
 * {@link #prepareSnapshot} and {@link #prepareDelta} only keep references to the current maps — O(1) on the apply
 * thread — while the snapshot thread streams the frozen view out. Each key carries its <em>version</em>, the log
 * index that last wrote it. A deleted key stays behind as a tombstone for as long as a delta may need to
 * announce its deletion, and a second map indexes keys by version, so a delta is found without scanning the
 * whole map: it is every key whose version is above the base snapshot's index.
 *
 * <h2>Snapshots</h2>
 * Streamed, versioned and checksummed ({@link SnapshotFormat}); keys in ascending order, so
 * {@link #mergeSnapshot} merges a chain in one streaming pass ({@link SnapshotMerger}). Tombstones at or below the
 * base of the latest delta, or of the previous snapshot, are dropped; a later delta asked for an older base
 * returns empty (a full snapshot is taken instead), so dropping them never loses a deletion.
 *
 * <h2>Threading</h2>
 * As {@link StateMachine} states: {@code apply}, {@code query}, {@code prepare*} and {@code restore} on the apply
 * thread; images and {@code mergeSnapshot} on the snapshot thread, touching only immutable maps.
 * <b>Failure:</b> a malformed command is answered with {@link KvResult.Status#INVALID} on every replica; a corrupt
 * snapshot fails {@code restore} with an {@link IOException} and leaves the current state untouched.
 */
public final class KvStateMachine implements StateMachine {

    /** A key's state: a value, or a tombstone (deleted at {@code version}). */
    private record Entry(Optional<Bytes> value, long version) {}

    // Invariant: every key in data has exactly one entry in byVersion (version -> key), and a tombstone also one
    // in tombstones; no two keys share a version (each command writes one key at its own log index).
    private TreePMap<String, Entry> data = TreePMap.empty();
    private TreePMap<Long, String> byVersion = TreePMap.empty();
    private TreePMap<Long, String> tombstones = TreePMap.empty();
    private long liveKeys;
    private long lastApplied;
    // Invariant: no tombstone of a deletion at an index > prunedThrough was dropped, so a delta on a base at or
    // above it is complete.
    private long prunedThrough;
    private long lastPrepared;

    /** Creates an empty map. */
    public KvStateMachine() {}

    @Override
    public Bytes apply(long logIndex, Bytes command) {
        if (logIndex <= lastApplied) {
            throw new IllegalStateException("apply(" + logIndex + ") after " + lastApplied);
        }
        lastApplied = logIndex;
        KvCommand c;
        try {
            c = KvCommand.decode(command);
        } catch (MalformedCommandException e) {
            return KvResult.invalid(e.getMessage()).encode();
        }
        return execute(logIndex, c).encode();
    }

    private KvResult execute(long logIndex, KvCommand c) {
        if (c instanceof KvCommand.Put p) {
            write(p.key(), Optional.of(p.value()), logIndex);
            return KvResult.ok(logIndex);
        } else if (c instanceof KvCommand.Delete d) {
            if (live(d.key()).isEmpty()) {
                return KvResult.notFound();
            }
            write(d.key(), Optional.empty(), logIndex);
            return KvResult.ok(logIndex);
        } else if (c instanceof KvCommand.CompareAndSet cas) {
            Optional<Entry> current = live(cas.key());
            Optional<Bytes> currentValue = current.flatMap(Entry::value);
            if (!currentValue.equals(cas.expected())) {
                return new KvResult(KvResult.Status.CAS_MISMATCH, current.map(Entry::version).orElse(0L),
                        currentValue, "");
            }
            write(cas.key(), Optional.of(cas.value()), logIndex);
            return KvResult.ok(logIndex);
        }
        return KvResult.invalid("a query is not a command: " + c.getClass().getSimpleName());
    }

    private Optional<Entry> live(String key) {
        Entry e = data.get(key);
        return e == null || e.value().isEmpty() ? Optional.empty() : Optional.of(e);
    }

    private void write(String key, Optional<Bytes> value, long version) {
        Entry old = data.get(key);
        if (old != null) {
            byVersion = byVersion.minus(old.version());
            if (old.value().isEmpty()) {
                tombstones = tombstones.minus(old.version());
            } else {
                liveKeys--;
            }
        }
        data = data.plus(key, new Entry(value, version));
        byVersion = byVersion.plus(version, key);
        if (value.isEmpty()) {
            tombstones = tombstones.plus(version, key);
        } else {
            liveKeys++;
        }
    }

    @Override
    public Bytes query(Bytes query) {
        KvCommand q;
        try {
            q = KvCommand.decode(query);
        } catch (MalformedCommandException e) {
            return KvResult.invalid(e.getMessage()).encode();
        }
        if (q instanceof KvCommand.Get g) {
            return live(g.key()).map(e -> KvResult.found(e.version(), e.value().get()))
                    .orElseGet(KvResult::notFound).encode();
        } else if (q instanceof KvCommand.Stats) {
            return KvResult.found(lastApplied, Bytes.unsafeWrap(ByteBuffer.allocate(8).putLong(liveKeys).array()))
                    .encode();
        }
        return KvResult.invalid("not a query: " + q.getClass().getSimpleName()).encode();
    }

    /**
     * Returns the number of live keys (for status pages and tests). Apply thread only.
     *
     * @return the count
     */
    public long size() {
        return liveKeys;
    }

    /**
     * Returns the index of the last applied command. Apply thread only.
     *
     * @return the index, 0 before the first
     */
    public long lastApplied() {
        return lastApplied;
    }

    @Override
    public SnapshotImage prepareSnapshot(long lastAppliedIndex) {
        checkIndex(lastAppliedIndex);
        TreePMap<String, Entry> frozen = data;
        // Tombstones older than the previous snapshot are no longer needed for a delta on that snapshot or later.
        prune(lastPrepared);
        lastPrepared = lastAppliedIndex;
        return out -> {
            SnapshotFormat.Writer w = new SnapshotFormat.Writer(out, SnapshotFormat.KIND_FULL, lastAppliedIndex, 0);
            for (Map.Entry<String, Entry> e : frozen.entrySet()) {
                if (e.getValue().value().isPresent()) {
                    w.put(e.getKey(), e.getValue().version(), e.getValue().value().get());
                }
            }
            w.finish();
        };
    }

    @Override
    public Optional<SnapshotImage> prepareDelta(long lastAppliedIndex, long previousSnapshotIndex) {
        checkIndex(lastAppliedIndex);
        if (previousSnapshotIndex < 1 || previousSnapshotIndex >= lastAppliedIndex
                || previousSnapshotIndex < prunedThrough) {
            // No delta to write, or deletions after that base may be forgotten: take a full snapshot.
            return Optional.empty();
        }
        TreePMap<String, Entry> frozen = data;
        TreePMap<Long, String> changed = byVersion.tailMap(previousSnapshotIndex, false);
        prune(previousSnapshotIndex);
        lastPrepared = lastAppliedIndex;
        return Optional.of(out -> {
            // Only the changed keys are collected (sorted for the format); the rest is never visited.
            String[] keys = changed.values().toArray(new String[0]);
            java.util.Arrays.sort(keys);
            SnapshotFormat.Writer w = new SnapshotFormat.Writer(
                    out, SnapshotFormat.KIND_DELTA, lastAppliedIndex, previousSnapshotIndex);
            for (String key : keys) {
                Entry e = frozen.get(key);
                if (e.value().isPresent()) {
                    w.put(key, e.version(), e.value().get());
                } else {
                    w.tombstone(key, e.version());
                }
            }
            w.finish();
        });
    }

    /** The core's index may be above the last command applied here: no-op and configuration entries. */
    private void checkIndex(long lastAppliedIndex) {
        if (lastAppliedIndex < lastApplied) {
            throw new IllegalArgumentException(
                    "snapshot at " + lastAppliedIndex + " but the state is already at " + lastApplied);
        }
    }

    /** Drops tombstones of deletions at or below {@code throughIndex}. */
    private void prune(long throughIndex) {
        if (throughIndex <= prunedThrough) {
            return;
        }
        for (Map.Entry<Long, String> t : tombstones.headMap(throughIndex, true).entrySet()) {
            data = data.minus(t.getValue());
            byVersion = byVersion.minus(t.getKey());
        }
        tombstones = tombstones.tailMap(throughIndex, false);
        prunedThrough = throughIndex;
    }

    @Override
    public boolean mergeSnapshot(List<SnapshotPart> chain, OutputStream out) throws IOException {
        SnapshotMerger.merge(chain, out);
        return true;
    }

    @Override
    public void restore(SnapshotReader snapshot) throws IOException {
        List<SnapshotPart> parts = snapshot.parts();
        TreePMap<String, Entry> restored = TreePMap.empty();
        long index = 0;
        for (int i = 0; i < parts.size(); i++) {
            SnapshotPart part = parts.get(i);
            try (SnapshotFormat.Reader r = SnapshotMerger.open(part, i, index)) {
                Optional<SnapshotFormat.Record> rec;
                while ((rec = r.next()).isPresent()) {
                    SnapshotFormat.Record x = rec.get();
                    restored = x.isTombstone() ? restored.minus(x.key())
                            : restored.plus(x.key(), new Entry(x.value(), x.version()));
                }
                index = r.lastAppliedIndex();
            }
        }
        TreePMap<Long, String> versions = TreePMap.empty();
        for (Map.Entry<String, Entry> e : restored.entrySet()) {
            if (e.getValue().version() > index || versions.containsKey(e.getValue().version())) {
                throw new IOException("corrupt snapshot: version " + e.getValue().version() + " of key "
                        + e.getKey() + " is duplicated or above the snapshot index " + index);
            }
            versions = versions.plus(e.getValue().version(), e.getKey());
        }
        // Only now, with every part read and verified, replace the live state.
        data = restored;
        byVersion = versions;
        tombstones = TreePMap.empty();
        liveKeys = restored.size();
        lastApplied = index;
        prunedThrough = index;
        lastPrepared = index;
    }

    /**
     * Returns the live keys and values, in key order, for tests and diagnostics. Apply thread only.
     *
     * @return a copy of the live contents
     */
    List<Map.Entry<String, Bytes>> contents() {
        List<Map.Entry<String, Bytes>> out = new ArrayList<>();
        data.forEach((k, e) -> e.value().ifPresent(v -> out.add(Map.entry(k, v))));
        return out;
    }
}
