package io.flotilla.store.file.probe;

import io.flotilla.Bytes;
import io.flotilla.spi.SnapshotImage;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.StateMachine;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The probe's key-value state machine: keys {@code k0000000..}, 100-byte values. A command sets a range of keys to
 * a version's value (so loading a million keys takes a thousand commands). Tracks the keys changed since its last
 * snapshot for incremental snapshots. Apply thread only, except {@link #sameAs} (after the run).
 */
final class ProbeKv implements StateMachine {
    static final int VALUE_BYTES = 100;
    private final HashMap<String, byte[]> map = new HashMap<>();
    private Set<String> dirty = new HashSet<>();

    static Bytes putBatch(int from, int to, String version) {
        return Bytes.ofUtf8(from + "," + to + "," + version);
    }

    static String key(int k) {
        return String.format("k%07d", k);
    }

    private static byte[] value(String version, int k) {
        byte[] v = new byte[VALUE_BYTES];
        Arrays.fill(v, (byte) 'x');
        byte[] tag = (version + ":" + k).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.arraycopy(tag, 0, v, 0, Math.min(tag.length, VALUE_BYTES));
        return v;
    }

    @Override
    public synchronized Bytes apply(long logIndex, Bytes command) {
        String[] p = command.utf8().split(",");
        int from = Integer.parseInt(p[0]);
        int to = Integer.parseInt(p[1]);
        for (int k = from; k < to; k++) {
            String key = key(k);
            map.put(key, value(p[2], k));
            dirty.add(key);
        }
        return Bytes.EMPTY;
    }

    @Override
    public synchronized Bytes query(Bytes query) {
        byte[] v = map.get(query.utf8());
        return v == null ? Bytes.EMPTY : Bytes.unsafeWrap(v);
    }

    @Override
    public synchronized SnapshotImage prepareSnapshot(long lastAppliedIndex) {
        dirty = new HashSet<>();
        return image(new HashMap<>(map)); // values are never mutated: a shallow copy is a frozen view
    }

    @Override
    public synchronized Optional<SnapshotImage> prepareDelta(long lastAppliedIndex, long previousSnapshotIndex) {
        Map<String, byte[]> changed = new HashMap<>();
        for (String k : dirty) {
            changed.put(k, map.get(k));
        }
        dirty = new HashSet<>();
        return Optional.of(image(changed));
    }

    private static SnapshotImage image(Map<String, byte[]> view) {
        return out -> {
            DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out, 64 << 10));
            d.writeInt(view.size());
            for (Map.Entry<String, byte[]> e : view.entrySet()) {
                d.writeUTF(e.getKey());
                d.writeInt(e.getValue().length);
                d.write(e.getValue());
            }
            d.flush();
        };
    }

    @Override
    public synchronized void restore(SnapshotReader snapshot) throws IOException {
        map.clear();
        dirty = new HashSet<>();
        for (SnapshotPart part : snapshot.parts()) {
            try (InputStream in = part.open();
                    DataInputStream d = new DataInputStream(new BufferedInputStream(in, 64 << 10))) {
                int n = d.readInt();
                for (int i = 0; i < n; i++) {
                    String k = d.readUTF();
                    byte[] v = new byte[d.readInt()];
                    d.readFully(v);
                    map.put(k, v);
                }
            }
        }
    }

    synchronized boolean sameAs(ProbeKv other) {
        Map<String, byte[]> theirs;
        synchronized (other) {
            theirs = new HashMap<>(other.map);
        }
        if (theirs.size() != map.size()) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : map.entrySet()) {
            if (!Arrays.equals(e.getValue(), theirs.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
