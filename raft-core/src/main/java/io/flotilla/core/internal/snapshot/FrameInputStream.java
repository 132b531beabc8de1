package io.flotilla.core.internal.snapshot;

import io.flotilla.spi.CorruptedStoreException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * Reads a part's data frame by frame, checking each frame's CRC32C before any of its bytes are returned; ends at the
 * part's end marker. Closing it closes the stream below.
 */
final class FrameInputStream extends InputStream {
    private final DataInputStream in;
    private final String where;
    private final CRC32C crc = new CRC32C();
    private byte[] frame = new byte[0];
    private int pos;
    private int len;
    private boolean ended;

    FrameInputStream(InputStream in, String where) {
        this.in = in instanceof DataInputStream ? (DataInputStream) in : new DataInputStream(in);
        this.where = where;
    }

    private boolean fill() throws IOException {
        while (pos == len) {
            if (ended) {
                return false;
            }
            int n;
            int expected;
            try {
                n = in.readInt();
                expected = in.readInt();
            } catch (EOFException e) {
                throw SnapshotFormat.corrupt(where + ": snapshot data truncated inside a part", e);
            }
            if (n == 0) {
                ended = true;
                return false;
            }
            if (n < 0 || n > SnapshotFormat.MAX_FRAME) {
                throw SnapshotFormat.corrupt(where + ": bad frame length " + n);
            }
            if (frame.length < n) {
                frame = new byte[Math.max(n, SnapshotFormat.FRAME_BYTES)];
            }
            if (in.readNBytes(frame, 0, n) != n) {
                throw SnapshotFormat.corrupt(where + ": snapshot data truncated inside a frame");
            }
            crc.reset();
            crc.update(frame, 0, n);
            if ((int) crc.getValue() != expected) {
                throw SnapshotFormat.corrupt(where + ": snapshot frame checksum mismatch");
            }
            pos = 0;
            len = n;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? frame[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
        if (n == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int k = Math.min(n, len - pos);
        System.arraycopy(frame, pos, b, off, k);
        pos += k;
        return k;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
