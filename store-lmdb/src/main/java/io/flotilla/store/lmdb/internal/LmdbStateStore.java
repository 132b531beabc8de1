package io.flotilla.store.lmdb.internal;

import io.flotilla.HardState;
import io.flotilla.spi.StateStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.lmdbjava.Dbi;

/**
 * The hard state as one CRC32C-checked record ({@link Records}) in the environment's {@code state} database.
 * <b>Durability:</b> {@link #save} is one durable write transaction, so after a crash {@link #load} returns the old
 * or the new state, never a mix. <b>Threading:</b> one caller at a time, as the SPI says. <b>Failure:</b> a record
 * failing its checks is {@link io.flotilla.spi.CorruptedStoreException} (never a fallback to term 0); see
 * {@link LmdbEnvironment} for full maps and failed flushes.
 */
public final class LmdbStateStore implements StateStore {
    private static final String KEY = "hardstate";

    private final LmdbEnvironment env;
    private final Dbi<ByteBuffer> db;
    private final String where;
    private volatile boolean closed;

    private LmdbStateStore(LmdbEnvironment env) {
        this.env = env;
        this.db = env.stateDb();
        this.where = env.directory() + "/" + LmdbEnvironment.DB_STATE + "/" + KEY;
    }

    /**
     * Opens the state store of an environment, retaining it.
     *
     * @param env the environment
     * @return the store
     */
    public static LmdbStateStore open(LmdbEnvironment env) {
        env.retain();
        return new LmdbStateStore(env);
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("state store " + where + " is closed");
        }
    }

    @Override
    public HardState load() throws IOException {
        checkOpen();
        return env.read(txn -> {
            ByteBuffer v = db.get(txn, Records.nameKey(env.readKeyBuffer(), KEY));
            return v == null ? HardState.INITIAL : Records.decodeState(v, where);
        });
    }

    @Override
    public void save(HardState state) throws IOException {
        checkOpen();
        env.write("save hard state", txn -> {
            db.put(txn, Records.nameKey(env.keyBuffer(), KEY),
                    Records.encodeState(env.valueBuffer(Records.stateSize(state)), state));
            return null;
        });
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            env.release();
        }
    }
}
