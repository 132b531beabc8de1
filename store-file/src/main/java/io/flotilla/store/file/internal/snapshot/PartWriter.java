package io.flotilla.store.file.internal.snapshot;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.spi.StorageFullException;
import io.flotilla.store.file.internal.io.FileHandle;
import io.flotilla.store.file.internal.io.FileIO;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes one part to {@code <name>.tmp} in checksummed blocks of up to {@value PartFormat#BLOCK} bytes (so memory
 * stays bounded by one block whatever the part's size) and commits it in two durable steps: (1) end record,
 * {@code fsync}, rename to {@code <name>}, directory {@code fsync}; (2) the store's manifest switch
 * ({@link FileSnapshotStore#publish}). Until step 2 the part is an orphan that the next open deletes.
 *
 * <p>Used by one thread. A full disk fails the call with {@link StorageFullException} and leaves the store usable;
 * any other I/O error fails the store for good (a failed {@code fsync} is never retried).
 */
final class PartWriter implements SnapshotWriter {
    private static final int FRAME = 8;
    private final FileSnapshotStore store;
    private final FileIO io;
    private final SnapshotMeta meta;
    private final SnapshotKind kind;
    private final long id;
    private final Path tmp;
    private final Path fin;
    private final FileHandle file;
    private final int headerLength;
    final List<StoredPart> createdOn; // the chain current at create(); compared by identity at publish
    // One block frame, reused: bytes 0..7 are the block header (length, CRC32C), the data follows at FRAME.
    private final ByteBuffer frame = ByteBuffer.allocate(FRAME + PartFormat.BLOCK);
    private final byte[] block = frame.array();
    private int fill; // data bytes in the current block
    private long pos;
    private long total;
    private int blocks;
    private boolean renamed;
    // Set by the store once the manifest may name this part (its rename was attempted): never delete it then.
    boolean mayBeNamed;
    private boolean committed;
    private boolean closed;
    private IOException broken;
    private final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            ensureWritable();
            block[FRAME + fill++] = (byte) b;
            if (fill == PartFormat.BLOCK) {
                flushBlock();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ensureWritable();
            while (len > 0) {
                int n = Math.min(len, PartFormat.BLOCK - fill);
                System.arraycopy(b, off, block, FRAME + fill, n);
                fill += n;
                off += n;
                len -= n;
                if (fill == PartFormat.BLOCK) {
                    flushBlock();
                }
            }
        }
    };

    PartWriter(FileSnapshotStore store, FileIO io, SnapshotMeta meta, SnapshotKind kind, long id, Path tmp, Path fin,
            FileHandle file, int headerLength, List<StoredPart> createdOn) {
        this.store = store;
        this.io = io;
        this.meta = meta;
        this.kind = kind;
        this.id = id;
        this.tmp = tmp;
        this.fin = fin;
        this.file = file;
        this.headerLength = headerLength;
        this.pos = headerLength;
        this.createdOn = createdOn;
    }

    SnapshotKind kind() {
        return kind;
    }

    private void ensureWritable() throws IOException {
        if (committed || closed) {
            throw new IOException("snapshot writer for " + fin + " is already committed or closed");
        }
        if (broken != null) {
            throw new IOException("snapshot writer for " + fin + " failed earlier", broken);
        }
    }

    /** Records an I/O failure: the writer is unusable; anything but a full disk also fails the store. */
    private IOException failed(IOException e) {
        broken = e;
        if (!(e instanceof StorageFullException)) {
            store.fail(e);
        }
        return e;
    }

    private void flushBlock() throws IOException {
        if (fill == 0) {
            return;
        }
        frame.clear();
        frame.putInt(0, fill).putInt(4, PartFormat.crc(block, FRAME, fill)).limit(FRAME + fill);
        try {
            file.write(frame, pos);
        } catch (IOException e) {
            throw failed(e);
        }
        pos += FRAME + fill;
        total += fill;
        blocks++;
        fill = 0;
    }

    @Override
    public SnapshotMeta meta() {
        return meta;
    }

    @Override
    public OutputStream output() {
        return out;
    }

    @Override
    public void commit() throws IOException {
        ensureWritable();
        store.checkUsable();
        flushBlock();
        ByteBuffer end = ByteBuffer.allocate(20);
        end.putInt(0).putInt(blocks).putLong(total);
        end.putInt(PartFormat.crc(end.array(), 4, 12)).flip();
        try {
            file.write(end, pos);
            file.force(true);
            file.close();
            io.rename(tmp, fin);
            renamed = true;
            io.syncDirectory(fin.getParent());
        } catch (IOException e) {
            throw failed(e);
        }
        PartFormat.Header header = new PartFormat.Header(kind, meta, 0, 0, headerLength);
        store.publish(this, new StoredPart(io, fin, id, header, total));
        committed = true;
    }

    /** Discards the data unless committed: deletes the temporary (or renamed, unpublished) file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (committed) {
            return;
        }
        try {
            file.close();
        } finally {
            if (!mayBeNamed) {
                io.delete(renamed ? fin : tmp); // not made durable: an orphan left by a crash is deleted on open
            }
        }
    }
}
