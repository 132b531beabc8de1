package io.flotilla.store.lmdb.internal;

import io.flotilla.LogEntry;
import io.flotilla.spi.Capability;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.LogCompactedException;
import io.flotilla.spi.LogStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.PutFlags;
import org.lmdbjava.Txn;

/**
 * The Raft log in an LMDB database keyed by the 8-byte big-endian index, one CRC32C-checked record per entry
 * ({@link Records}), plus the first index in a small bounds database.
 *
 * <h2>Durability</h2>
 * Every {@link #append} is one write transaction holding the whole batch (group commit: one flush for many
 * entries); {@link #truncateSuffix} and {@link #compactPrefix} are ranged cursor deletes in one transaction each.
 * A crash leaves the last committed transaction, so a batch is either all there or not at all.
 *
 * <h2>Threading</h2>
 * Writes come from one thread at a time ({@link LmdbEnvironment} also serializes them). Reads may run on any
 * thread at the same time: each is one LMDB read transaction on the last committed state and never waits for the
 * writer ({@link Capability#CONCURRENT_READS}). The bounds are published in volatile fields after each commit.
 *
 * <h2>Failure</h2>
 * A record failing its checks, or a hole inside the bounds, is {@link CorruptedStoreException} naming the key.
 * See {@link LmdbEnvironment} for full maps, full disks and failed flushes.
 */
public final class LmdbLogStore implements LogStore {
    private static final byte[] FIRST = "first".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final LmdbEnvironment env;
    private final Dbi<ByteBuffer> db;
    private final Dbi<ByteBuffer> meta;
    private final String where;
    // Invariant: the database holds exactly the keys [first, last]; last == first - 1 when it is empty.
    private volatile long first;
    private volatile long last;
    private volatile boolean closed;

    private LmdbLogStore(LmdbEnvironment env, long first, long last) {
        this.env = env;
        this.db = env.logDb();
        this.meta = env.logMetaDb();
        this.where = env.directory() + "/" + LmdbEnvironment.DB_LOG;
        this.first = first;
        this.last = last;
    }

    /**
     * Opens the log of an environment, retaining it, and checks its bounds: the first and last records must
     * decode and the number of keys must match the bounds.
     *
     * @param env the environment
     * @return the log store
     * @throws CorruptedStoreException if the bounds or the edge records are damaged
     * @throws IOException if reading failed
     */
    public static LmdbLogStore open(LmdbEnvironment env) throws IOException {
        String where = env.directory() + "/" + LmdbEnvironment.DB_LOG;
        long[] bounds = env.read(txn -> {
            ByteBuffer stored = env.logMetaDb().get(txn, nameKey(env.readKeyBuffer()));
            long first = stored == null ? 1 : Records.decodeFirst(stored, where + "-meta/first");
            long count = env.logDb().stat(txn).entries;
            try (Cursor<ByteBuffer> c = env.logDb().openCursor(txn)) {
                if (!c.first()) {
                    return new long[] {first, first - 1};
                }
                long lo = Records.index(c.key(), where);
                Records.decodeEntry(c.val(), lo, where);
                c.last();
                long hi = Records.index(c.key(), where);
                Records.decodeEntry(c.val(), hi, where);
                if (lo != first || hi - lo + 1 != count) {
                    throw new CorruptedStoreException(where, -1, "log holds " + count + " entries in [" + lo + ", "
                            + hi + "] but its first index is " + first);
                }
                return new long[] {lo, hi};
            }
        });
        env.retain();
        return new LmdbLogStore(env, bounds[0], bounds[1]);
    }

    private static ByteBuffer nameKey(ByteBuffer key) {
        key.clear();
        key.put(FIRST).flip();
        return key;
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("log store " + where + " is closed");
        }
        env.checkNotFailed();
    }

    @Override
    public long firstIndex() throws IOException {
        checkOpen();
        return first;
    }

    @Override
    public long lastIndex() throws IOException {
        checkOpen();
        return last;
    }

    @Override
    public long term(long index) throws IOException {
        checkOpen();
        if (index == 0) {
            return 0;
        }
        checkReadable(index, index + 1);
        return env.read(txn -> {
            ByteBuffer v = db.get(txn, Records.indexKey(env.readKeyBuffer(), index));
            if (v == null) {
                throw missing(index);
            }
            return Records.decodeTerm(v, index, where);
        });
    }

    private void checkReadable(long from, long to) throws IOException {
        if (from < 0) {
            throw new IllegalArgumentException("index " + from + " is negative");
        }
        long f = first;
        if (from < f) {
            throw new LogCompactedException(from, f);
        }
        long l = last;
        if (to > l + 1) {
            throw new IllegalArgumentException("index " + (to - 1) + " is beyond the last index " + l);
        }
    }

    /** A key inside the bounds is absent: a concurrent compaction, or a hole that is corruption. */
    private IOException missing(long index) {
        long f = first;
        if (index < f) {
            return new LogCompactedException(index, f);
        }
        if (index > last) {
            return new IOException("index " + index + " was removed by a concurrent truncation");
        }
        return new CorruptedStoreException(where, -1, "entry " + index + " is missing inside [" + f + ", " + last + "]");
    }

    @Override
    public List<LogEntry> entries(long fromIndex, long toIndex, long maxBytes) throws IOException {
        checkOpen();
        if (toIndex < fromIndex) {
            throw new IllegalArgumentException("toIndex " + toIndex + " < fromIndex " + fromIndex);
        }
        checkReadable(fromIndex, toIndex);
        if (fromIndex == toIndex) {
            return List.of();
        }
        return env.read(txn -> {
            List<LogEntry> out = new ArrayList<>();
            long bytes = 0;
            try (Cursor<ByteBuffer> c = db.openCursor(txn)) {
                if (!c.get(Records.indexKey(env.readKeyBuffer(), fromIndex), GetOp.MDB_SET_KEY)) {
                    throw missing(fromIndex);
                }
                for (long i = fromIndex; i < toIndex; i++) {
                    if (i > fromIndex && (!c.next() || Records.index(c.key(), where) != i)) {
                        throw missing(i);
                    }
                    LogEntry e = Records.decodeEntry(c.val(), i, where);
                    bytes += e.sizeBytes();
                    if (!out.isEmpty() && bytes > maxBytes) {
                        break;
                    }
                    out.add(e);
                }
            }
            return out;
        });
    }

    @Override
    public void append(List<LogEntry> entries) throws IOException {
        checkOpen();
        if (entries.isEmpty()) {
            return;
        }
        long expected = last + 1;
        for (LogEntry e : entries) {
            if (e.index() != expected) {
                throw new IllegalArgumentException("entry index " + e.index() + " does not continue the log at "
                        + expected);
            }
            expected++;
        }
        env.write("append", txn -> {
            for (LogEntry e : entries) {
                ByteBuffer v = Records.encodeEntry(env.valueBuffer(Records.entrySize(e)), e);
                db.put(txn, Records.indexKey(env.keyBuffer(), e.index()), v, PutFlags.MDB_APPEND);
            }
            return null;
        });
        last = expected - 1;
    }

    @Override
    public void truncateSuffix(long fromIndex) throws IOException {
        checkOpen();
        long l = last;
        if (fromIndex < first || fromIndex > l + 1) {
            throw new IllegalArgumentException("truncateSuffix(" + fromIndex + ") outside [" + first + ", " + (l + 1)
                    + "]");
        }
        if (fromIndex == l + 1) {
            return;
        }
        env.write("truncateSuffix", txn -> {
            deleteFrom(txn, fromIndex);
            return null;
        });
        last = fromIndex - 1;
    }

    /** Deletes every key at or after {@code fromIndex}. */
    private void deleteFrom(Txn<ByteBuffer> txn, long fromIndex) {
        try (Cursor<ByteBuffer> c = db.openCursor(txn)) {
            boolean found = c.get(Records.indexKey(env.keyBuffer(), fromIndex), GetOp.MDB_SET_RANGE);
            while (found) {
                c.delete();
                // After a delete the cursor sits on the next key; MDB_NEXT returns it (LMDB's delete idiom).
                found = c.next();
            }
        }
    }

    @Override
    public void compactPrefix(long throughIndex) throws IOException {
        checkOpen();
        if (throughIndex < 0) {
            throw new IllegalArgumentException("compactPrefix(" + throughIndex + ") is negative");
        }
        long f = first;
        long l = last;
        if (throughIndex < f) {
            return;
        }
        long newFirst = throughIndex + 1;
        env.write("compactPrefix", txn -> {
            try (Cursor<ByteBuffer> c = db.openCursor(txn)) {
                boolean found = c.first();
                while (found && Records.index(c.key(), where) < newFirst) {
                    c.delete();
                    found = c.next();
                }
            }
            meta.put(txn, nameKey(env.keyBuffer()), Records.encodeFirst(env.valueBuffer(13), newFirst));
            return null;
        });
        if (throughIndex >= l) {
            last = throughIndex;
        }
        first = newFirst;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.CONCURRENT_READS);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            env.release();
        }
    }
}
