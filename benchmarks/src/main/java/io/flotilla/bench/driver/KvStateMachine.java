package io.flotilla.bench.driver;

import io.flotilla.Bytes;
import io.flotilla.spi.SnapshotImage;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The benchmark's state machine: a key-value map whose key is the command's first 8 bytes (the client's id, so the
 * map stays small) and whose value is the whole command, plus a count of applied commands. Every system compared
 * runs the same logic.
 *
 * <p>Threading: applied on the node's apply thread; {@link #applied()} may be read from any thread.
 */
public final class KvStateMachine implements StateMachine {
    private final Map<Long, Bytes> values = new HashMap<>();
    private volatile long applied;

    /**
     * Returns the key of a command: its first 8 bytes, big-endian.
     *
     * @param command the command
     * @param at where the command starts
     * @return the key
     */
    public static long key(byte[] command, int at) {
        long k = 0;
        for (int i = 0; i < 8; i++) {
            k = (k << 8) | (command[at + i] & 0xFF);
        }
        return k;
    }

    /**
     * Returns how many commands were applied.
     *
     * @return the count
     */
    public long applied() {
        return applied;
    }

    @Override
    public Bytes apply(long logIndex, Bytes command) {
        long k = 0;
        for (int i = 0; i < 8; i++) {
            k = (k << 8) | (command.byteAt(i) & 0xFF);
        }
        values.put(k, command);
        applied++;
        return Bytes.EMPTY;
    }

    @Override
    public Bytes query(Bytes query) {
        return Bytes.ofUtf8(Long.toString(applied));
    }

    @Override
    public SnapshotImage prepareSnapshot(long lastAppliedIndex) {
        Map<Long, Bytes> frozen = new HashMap<>(values);
        long count = applied;
        return out -> {
            DataOutputStream data = new DataOutputStream(out);
            data.writeLong(count);
            data.writeInt(frozen.size());
            for (Map.Entry<Long, Bytes> e : frozen.entrySet()) {
                data.writeLong(e.getKey());
                data.writeInt(e.getValue().size());
                e.getValue().writeTo(data);
            }
            data.flush();
        };
    }

    @Override
    public void restore(SnapshotReader snapshot) throws IOException {
        // Every image this machine writes is complete, so each part replaces the state.
        for (SnapshotPart part : snapshot.parts()) {
            values.clear();
            try (DataInputStream in = new DataInputStream(part.open())) {
                long count = in.readLong();
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    long k = in.readLong();
                    values.put(k, Bytes.readFully(in, in.readInt()));
                }
                applied = count;
            }
        }
    }
}
