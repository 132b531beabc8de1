package io.flotilla.core.internal.snapshot;

import io.flotilla.spi.SnapshotPart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The stream a leader sends in InstallSnapshot chunks: a logical chain re-encoded as one container
 * ({@link SnapshotFormat}), produced lazily a frame at a time, so memory stays bounded whatever the snapshot's size.
 * Reading the parts checks their frames, so a corrupt local snapshot is reported here rather than sent.
 *
 * <p><b>Threading:</b> one thread at a time. Closing it closes the part being read (not the chain's reader).
 */
public final class ChainEncoder extends InputStream {
    private final List<SnapshotPart> parts;
    private final Buffer pending = new Buffer();
    private final byte[] chunk = new byte[SnapshotFormat.FRAME_BYTES];
    private int next; // the next part to start
    private InputStream current;
    private OutputStream currentFrames;
    private boolean finished;
    private long position;

    /**
     * @param parts the logical chain, base first
     * @throws IOException if writing the header failed (it cannot)
     */
    public ChainEncoder(List<SnapshotPart> parts) throws IOException {
        this.parts = List.copyOf(parts);
        SnapshotFormat.writeHeader(pending);
    }

    /** @return how many bytes were read so far */
    public long position() {
        return position;
    }

    /**
     * @return whether every byte was read
     * @throws IOException if producing more failed
     */
    public boolean atEnd() throws IOException {
        return !fill();
    }

    private boolean fill() throws IOException {
        while (pending.available() == 0) {
            if (finished) {
                return false;
            }
            pending.reset();
            if (current == null) {
                if (next == parts.size()) {
                    SnapshotFormat.writeEnd(pending);
                    finished = true;
                    continue;
                }
                SnapshotPart p = parts.get(next++);
                currentFrames = SnapshotFormat.beginPart(pending, p.kind(), p.meta());
                current = p.open();
                continue;
            }
            int n = current.readNBytes(chunk, 0, chunk.length);
            if (n > 0) {
                currentFrames.write(chunk, 0, n);
                currentFrames.flush();
            }
            if (n < chunk.length) {
                currentFrames.close(); // writes the last frame and the part's end
                current.close();
                current = null;
            }
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        position++;
        return pending.take();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int k = pending.take(b, off, len);
        position += k;
        return k;
    }

    @Override
    public void close() throws IOException {
        finished = true;
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** A reusable byte buffer that is written, then read. */
    private static final class Buffer extends ByteArrayOutputStream {
        private int readPos;

        Buffer() {
            super(SnapshotFormat.FRAME_BYTES + 256);
        }

        int available() {
            return count - readPos;
        }

        int take() {
            return buf[readPos++] & 0xFF;
        }

        int take(byte[] b, int off, int len) {
            int k = Math.min(len, available());
            System.arraycopy(buf, readPos, b, off, k);
            readPos += k;
            return k;
        }

        @Override
        public synchronized void reset() {
            super.reset();
            readPos = 0;
        }
    }
}
