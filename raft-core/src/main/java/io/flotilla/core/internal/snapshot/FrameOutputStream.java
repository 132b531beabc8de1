package io.flotilla.core.internal.snapshot;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/** Cuts a part's data into CRC32C-checked frames; {@link #close()} ends the part, not the stream below. */
final class FrameOutputStream extends OutputStream {
    private final DataOutputStream out;
    private final byte[] buf = new byte[SnapshotFormat.FRAME_BYTES];
    private final CRC32C crc = new CRC32C();
    private int n;
    private boolean closed;

    FrameOutputStream(OutputStream out) {
        this.out = new DataOutputStream(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (n == buf.length) {
            flushFrame();
        }
        buf[n++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (n == buf.length) {
                flushFrame();
            }
            int k = Math.min(len, buf.length - n);
            System.arraycopy(b, off, buf, n, k);
            n += k;
            off += k;
            len -= k;
        }
    }

    private void flushFrame() throws IOException {
        if (n == 0) {
            return;
        }
        crc.reset();
        crc.update(buf, 0, n);
        out.writeInt(n);
        out.writeInt((int) crc.getValue());
        out.write(buf, 0, n);
        n = 0;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        flushFrame();
        out.writeInt(0);
        out.writeInt(0);
        out.flush();
    }
}
