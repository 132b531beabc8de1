package io.flotilla.store.file.internal.state;

import io.flotilla.HardState;
import io.flotilla.NodeId;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.StateStore;
import io.flotilla.spi.StoreFailedException;
import io.flotilla.store.file.internal.io.FileHandle;
import io.flotilla.store.file.internal.io.FileIO;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hard state (term and vote) in one file of two {@value #SLOT}-byte slots, each a whole sector with its own
 * sequence number and CRC32C.
 *
 * <pre>
 * slot (A at offset 0, B at offset 512):
 *   0 int magic "FLHS"   4 int version (1)   8 long sequence   16 long term
 *   24 int vote length (-1: no vote)   28 vote id (ASCII, at most 64 bytes)   508 int CRC32C of bytes 0..507
 * </pre>
 *
 * <p>{@link #save} writes the slot that does not hold the newest state and flushes it, so a crash leaves the
 * other slot intact: the load after a crash returns the previous or the new state. The file is created with slot
 * A holding sequence 0 = {@link HardState#INITIAL} (temporary file, flush, rename, directory flush), so a torn
 * first save still finds a valid slot. Load picks the valid slot with the highest sequence; if neither slot is
 * valid it throws {@link CorruptedStoreException} and never falls back to term 0.
 *
 * <p>Called from one thread at a time. A failed write or flush fails the store for good.
 */
public final class FileStateStore implements StateStore {
    /** Bytes per slot. */
    public static final int SLOT = 512;
    /** The file name. */
    public static final String FILE = "hardstate";
    // A slot that is all zero bytes was never written (a new store): not worth a warning.
    private static final String NEVER_WRITTEN = " was never written (all zero)";
    private static final int MAGIC = 0x464C4853;
    private static final Logger LOG = LoggerFactory.getLogger(FileStateStore.class);

    private final Path path;
    private final FileHandle file;
    private long seq;
    private int newestSlot;
    private HardState current;
    private IOException failure;
    private boolean closed;

    private FileStateStore(Path path, FileHandle file, long seq, int newestSlot, HardState current) {
        this.path = path;
        this.file = file;
        this.seq = seq;
        this.newestSlot = newestSlot;
        this.current = current;
    }

    /**
     * Opens (creating if absent) the hard-state file in a directory and reads it.
     *
     * @param io the file system
     * @param dir the directory
     * @return the store
     * @throws CorruptedStoreException if neither slot is valid
     * @throws IOException if reading or creating failed
     */
    public static FileStateStore open(FileIO io, Path dir) throws IOException {
        io.createDirectories(dir);
        Path p = dir.resolve(FILE);
        Path tmp = dir.resolve(FILE + ".tmp");
        if (!io.exists(p)) {
            io.delete(tmp);
            try (FileHandle h = io.open(tmp, true)) {
                ByteBuffer both = ByteBuffer.allocate(2 * SLOT);
                both.put(encode(0, HardState.INITIAL));
                both.position(2 * SLOT).flip();
                h.write(both, 0);
                h.force(true);
            }
            io.rename(tmp, p);
            io.syncDirectory(dir);
        }
        FileHandle h = io.open(p, false);
        try {
            long[] seqs = new long[2];
            HardState[] states = new HardState[2];
            String[] why = new String[2];
            for (int s = 0; s < 2; s++) {
                ByteBuffer b = ByteBuffer.allocate(SLOT);
                int n = h.readFully(b, (long) s * SLOT);
                b.flip();
                if (n < SLOT) {
                    why[s] = "slot " + (s == 0 ? 'A' : 'B') + " cut short (" + n + " bytes)";
                    continue;
                }
                states[s] = decode(b, seqs, s, why);
            }
            int best = -1;
            for (int s = 0; s < 2; s++) {
                if (states[s] != null && (best < 0 || seqs[s] > seqs[best])) {
                    best = s;
                }
            }
            if (best < 0) {
                throw new CorruptedStoreException(p.toString(), 0, "both hard-state slots are invalid (" + why[0]
                        + "; " + why[1] + "); refusing to start rather than forget a term or vote");
            }
            int other = 1 - best;
            if (states[other] == null && why[other].endsWith(NEVER_WRITTEN)) {
                LOG.debug("hard-state slot {} of {} was never written (a new store); using slot {}",
                        other == 0 ? 'A' : 'B', p, best == 0 ? 'A' : 'B');
            } else if (states[other] == null) {
                LOG.warn("hard-state slot {} of {} is invalid ({}); using slot {} (sequence {})",
                        other == 0 ? 'A' : 'B', p, why[other], best == 0 ? 'A' : 'B', seqs[best]);
            }
            return new FileStateStore(p, h, seqs[best], best, states[best]);
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    private static ByteBuffer encode(long seq, HardState s) {
        ByteBuffer b = ByteBuffer.allocate(SLOT);
        b.putInt(MAGIC).putInt(1).putLong(seq).putLong(s.term());
        if (s.votedFor().isPresent()) {
            byte[] v = s.votedFor().get().value().getBytes(StandardCharsets.US_ASCII);
            b.putInt(v.length).put(v);
        } else {
            b.putInt(-1);
        }
        CRC32C c = new CRC32C();
        c.update(b.array(), 0, SLOT - 4);
        b.putInt(SLOT - 4, (int) c.getValue());
        b.clear();
        return b;
    }

    private static HardState decode(ByteBuffer b, long[] seqs, int slot, String[] why) {
        String name = "slot " + (slot == 0 ? 'A' : 'B');
        CRC32C c = new CRC32C();
        c.update(b.array(), 0, SLOT - 4);
        if (b.getInt(0) != MAGIC) {
            boolean zero = true;
            for (int i = 0; i < SLOT && zero; i++) {
                zero = b.get(i) == 0;
            }
            why[slot] = name + (zero ? NEVER_WRITTEN : " has no valid magic");
            return null;
        }
        if ((int) c.getValue() != b.getInt(SLOT - 4)) {
            why[slot] = name + " checksum mismatch at offset " + ((long) slot * SLOT);
            return null;
        }
        int voteLen = b.getInt(24);
        long term = b.getLong(16);
        if (b.getInt(4) != 1 || term < 0 || voteLen < -1 || voteLen > 64) {
            why[slot] = name + " has impossible values";
            return null;
        }
        seqs[slot] = b.getLong(8);
        Optional<NodeId> vote = Optional.empty();
        if (voteLen >= 0) {
            try {
                vote = Optional.of(NodeId.of(new String(b.array(), 28, voteLen, StandardCharsets.US_ASCII)));
            } catch (IllegalArgumentException e) {
                why[slot] = name + " holds an invalid node id";
                return null;
            }
        }
        return new HardState(term, vote);
    }

    private void check() throws IOException {
        if (failure != null) {
            throw new StoreFailedException("hard-state store " + path + " failed earlier", failure);
        }
        if (closed) {
            throw new IOException("hard-state store " + path + " is closed");
        }
    }

    @Override
    public synchronized HardState load() throws IOException {
        check();
        return current;
    }

    @Override
    public synchronized void save(HardState state) throws IOException {
        check();
        int slot = 1 - newestSlot;
        try {
            file.write(encode(seq + 1, state), (long) slot * SLOT);
            file.force(false);
        } catch (IOException e) {
            failure = e;
            LOG.error("hard-state store {} failed permanently", path, e);
            throw new StoreFailedException("saving the hard state to " + path + " failed", e);
        }
        seq++;
        newestSlot = slot;
        current = state;
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            file.close();
        }
    }
}
