package io.flotilla.core;

import io.flotilla.Bytes;
import io.flotilla.spi.SnapshotImage;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny replicated key-value map for tests. Commands are {@code "set k v"} (returns the previous value or
 * {@code ""}) and {@code "incr k"} (returns the new counter); queries are {@code "get k"}. Every applied index and
 * command is recorded, so tests can compare replicas' apply order.
 *
 * <p>Thread-safe for inspection from test threads; the node calls it from its apply thread only.
 */
public final class KvStateMachine implements StateMachine {
    private final TreeMap<String, String> map = new TreeMap<>();
    private final List<Long> appliedIndices = new ArrayList<>();
    private final List<String> appliedCommands = new ArrayList<>();
    // Keys changed since the last snapshot or restore (incremental snapshots: keys are only ever set, never removed).
    private final java.util.Set<String> dirty = new java.util.TreeSet<>();
    private int deltasTaken;
    private int merges;

    @Override
    public synchronized Bytes apply(long logIndex, Bytes command) {
        appliedIndices.add(logIndex);
        String c = command.utf8();
        appliedCommands.add(c);
        String[] p = c.split(" ", 3);
        switch (p[0]) {
            case "set": {
                String old = map.put(p[1], p.length > 2 ? p[2] : "");
                dirty.add(p[1]);
                return Bytes.ofUtf8(old == null ? "" : old);
            }
            case "incr": {
                long v = Long.parseLong(map.getOrDefault(p[1], "0")) + 1;
                map.put(p[1], Long.toString(v));
                dirty.add(p[1]);
                return Bytes.ofUtf8(Long.toString(v));
            }
            case "boom":
                throw new IllegalStateException("boom at " + logIndex);
            default:
                return Bytes.ofUtf8("unknown command");
        }
    }

    @Override
    public synchronized Bytes query(Bytes query) {
        String[] p = query.utf8().split(" ", 2);
        if (p[0].equals("get")) {
            return Bytes.ofUtf8(map.getOrDefault(p[1], ""));
        }
        return Bytes.ofUtf8("unknown query");
    }

    @Override
    public synchronized SnapshotImage prepareSnapshot(long lastAppliedIndex) {
        dirty.clear();
        return image(new TreeMap<>(map));
    }

    @Override
    public synchronized java.util.Optional<SnapshotImage> prepareDelta(long lastAppliedIndex, long previous) {
        Map<String, String> changed = new TreeMap<>();
        for (String k : dirty) {
            changed.put(k, map.get(k));
        }
        dirty.clear();
        deltasTaken++;
        return java.util.Optional.of(image(changed));
    }

    @Override
    public boolean mergeSnapshot(List<io.flotilla.spi.SnapshotPart> chain, java.io.OutputStream out)
            throws IOException {
        Map<String, String> merged = new TreeMap<>();
        for (io.flotilla.spi.SnapshotPart part : chain) {
            readInto(part, merged);
        }
        image(merged).writeTo(out);
        synchronized (this) {
            merges++;
        }
        return true;
    }

    /** @return how many deltas and merges this machine made (tests) */
    public synchronized int[] snapshotCounts() {
        return new int[] {deltasTaken, merges};
    }

    private static SnapshotImage image(Map<String, String> copy) {
        return out -> {
            DataOutputStream d = new DataOutputStream(out);
            d.writeInt(copy.size());
            for (Map.Entry<String, String> e : copy.entrySet()) {
                d.writeUTF(e.getKey());
                d.writeUTF(e.getValue());
            }
            d.flush();
        };
    }

    @Override
    public synchronized void restore(SnapshotReader snapshot) throws IOException {
        map.clear();
        dirty.clear();
        for (SnapshotPart part : snapshot.parts()) {
            readInto(part, map);
        }
    }

    private static void readInto(SnapshotPart part, Map<String, String> into) throws IOException {
        try (InputStream in = part.open(); DataInputStream d = new DataInputStream(in)) {
            int n;
            try {
                n = d.readInt();
            } catch (EOFException e) {
                return;
            }
            for (int i = 0; i < n; i++) {
                into.put(d.readUTF(), d.readUTF());
            }
        }
    }

    /** @return the indices applied so far, in apply order */
    public synchronized List<Long> appliedIndices() {
        return List.copyOf(appliedIndices);
    }

    /** @return the commands applied so far, in apply order */
    public synchronized List<String> appliedCommands() {
        return Collections.unmodifiableList(new ArrayList<>(appliedCommands));
    }

    /**
     * @param key a key
     * @return its value, or "" if absent
     */
    public synchronized Map<String, String> contents() {
        return new TreeMap<>(map);
    }

    /**
     * @param key a key
     * @return its value, or null
     */
    public synchronized String get(String key) {
        return map.getOrDefault(key, "");
    }
}
