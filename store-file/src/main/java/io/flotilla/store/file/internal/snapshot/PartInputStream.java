package io.flotilla.store.file.internal.snapshot;

import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.store.file.internal.io.FileHandle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Reads the data blocks of a part, verifying each block's checksum before returning any of its bytes, and the
 * end record at the end. Used by one thread.
 */
final class PartInputStream extends InputStream {
    private final FileHandle file;
    private final Path path;
    private final boolean closeFile;
    private long pos;
    private final byte[] block = new byte[PartFormat.BLOCK];
    private int blockLen;
    private int blockPos;
    private boolean done;
    private long total;
    private int blocks;

    PartInputStream(FileHandle file, Path path, int headerLength, boolean closeFile) {
        this.file = file;
        this.path = path;
        this.pos = headerLength;
        this.closeFile = closeFile;
    }

    long total() {
        return total;
    }

    private boolean nextBlock() throws IOException {
        if (done) {
            return false;
        }
        ByteBuffer h = ByteBuffer.allocate(8);
        if (file.readFully(h, pos) < 8) {
            throw new CorruptedStoreException(path.toString(), pos, "snapshot part ends without its end record");
        }
        int len = h.getInt(0);
        if (len == 0) {
            ByteBuffer end = ByteBuffer.allocate(20);
            if (file.readFully(end, pos) < 20) {
                throw new CorruptedStoreException(path.toString(), pos, "snapshot end record cut short");
            }
            if (PartFormat.crc(end.array(), 4, 12) != end.getInt(16) || end.getInt(4) != blocks
                    || end.getLong(8) != total) {
                throw new CorruptedStoreException(path.toString(), pos, "snapshot end record does not match the data");
            }
            done = true;
            return false;
        }
        if (len < 0 || len > PartFormat.BLOCK) {
            throw new CorruptedStoreException(path.toString(), pos, "impossible snapshot block length " + len);
        }
        ByteBuffer data = ByteBuffer.wrap(block, 0, len);
        if (file.readFully(data, pos + 8) < len) {
            throw new CorruptedStoreException(path.toString(), pos, "snapshot block cut short");
        }
        if (PartFormat.crc(block, 0, len) != h.getInt(4)) {
            throw new CorruptedStoreException(path.toString(), pos, "snapshot block checksum mismatch");
        }
        pos += 8 + len;
        blockLen = len;
        blockPos = 0;
        blocks++;
        total += len;
        return true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (blockPos == blockLen && !nextBlock()) {
            return -1;
        }
        int n = Math.min(len, blockLen - blockPos);
        System.arraycopy(block, blockPos, b, off, n);
        blockPos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (closeFile) {
            file.close();
        }
    }
}
