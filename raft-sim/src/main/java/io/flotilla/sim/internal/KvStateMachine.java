package io.flotilla.sim.internal;

import io.flotilla.Bytes;
import io.flotilla.sim.linearizability.KvInput;
import io.flotilla.spi.SnapshotImage;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The simulator's replicated key-value store: put, get and compare-and-set over string registers, plus a running
 * digest of everything applied so replicas can be compared in O(1). Deterministic, as {@link StateMachine}
 * requires. Commands and queries are encoded by {@link #encode(KvInput)}.
 *
 * <p><b>Threading:</b> called on the node's apply executor, which in simulation is the simulation thread.
 */
public final class KvStateMachine implements StateMachine {
    private static final char SEP = '\u0001';
    private static final String ABSENT = "\u0000";

    private final Map<String, String> data = new HashMap<>();
    private long digest;
    private long lastApplied;

    /** @return a digest of the state: equal digests after the same index mean equal states */
    public long digest() {
        return digest;
    }

    /** @return the last index applied */
    public long lastApplied() {
        return lastApplied;
    }

    /**
     * Encodes an operation as a command (put, cas) or query (get).
     *
     * @param op the operation
     * @return its bytes
     */
    public static Bytes encode(KvInput op) {
        String s;
        if (op instanceof KvInput.Put p) {
            s = "P" + SEP + p.key() + SEP + p.value();
        } else if (op instanceof KvInput.Get g) {
            s = "G" + SEP + g.key();
        } else {
            KvInput.Cas c = (KvInput.Cas) op;
            s = "C" + SEP + c.key() + SEP + c.expected().orElse(ABSENT) + SEP + c.newValue();
        }
        return Bytes.ofUtf8(s);
    }

    /**
     * Decodes a get result.
     *
     * @param result what {@link #query} returned
     * @return the value, or empty if absent
     */
    public static Optional<String> decodeValue(Bytes result) {
        String s = result.utf8();
        return s.equals(ABSENT) ? Optional.empty() : Optional.of(s);
    }

    /**
     * Decodes a cas result.
     *
     * @param result what {@link #apply} returned
     * @return whether the swap happened
     */
    public static boolean decodeSwapped(Bytes result) {
        return result.utf8().equals("T");
    }

    @Override
    public Bytes apply(long logIndex, Bytes command) {
        String[] f = command.utf8().split(String.valueOf(SEP), -1);
        String result;
        switch (f[0]) {
            case "P" -> {
                data.put(f[1], f[2]);
                result = "ok";
            }
            case "C" -> {
                String current = data.getOrDefault(f[1], ABSENT);
                if (current.equals(f[2])) {
                    data.put(f[1], f[3]);
                    result = "T";
                } else {
                    result = "F";
                }
            }
            default -> result = "?"; // unknown commands are deterministic no-ops
        }
        digest = Hashing.mix(Hashing.mix(digest, logIndex), Hashing.hash(command));
        lastApplied = logIndex;
        return Bytes.ofUtf8(result);
    }

    @Override
    public Bytes query(Bytes query) {
        String[] f = query.utf8().split(String.valueOf(SEP), -1);
        if (!f[0].equals("G") || f.length < 2) {
            return Bytes.ofUtf8("?");
        }
        return Bytes.ofUtf8(data.getOrDefault(f[1], ABSENT));
    }

    @Override
    public SnapshotImage prepareSnapshot(long lastAppliedIndex) {
        TreeMap<String, String> copy = new TreeMap<>(data);
        long d = digest;
        return out -> {
            DataOutputStream o = new DataOutputStream(out);
            o.writeLong(d);
            o.writeLong(lastAppliedIndex);
            o.writeInt(copy.size());
            for (Map.Entry<String, String> e : copy.entrySet()) {
                o.writeUTF(e.getKey());
                o.writeUTF(e.getValue());
            }
            o.flush();
        };
    }

    @Override
    public void restore(SnapshotReader snapshot) throws IOException {
        data.clear();
        for (SnapshotPart part : snapshot.parts()) {
            try (InputStream in = part.open(); DataInputStream i = new DataInputStream(in)) {
                digest = i.readLong();
                lastApplied = i.readLong();
                int n = i.readInt();
                for (int k = 0; k < n; k++) {
                    data.put(i.readUTF(), i.readUTF());
                }
            }
        }
    }

    @Override
    public String toString() {
        return "KvStateMachine{applied=" + lastApplied + ", keys=" + data.size() + ", digest="
                + Long.toHexString(digest) + "}";
    }
}
