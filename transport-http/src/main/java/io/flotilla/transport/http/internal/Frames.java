package io.flotilla.transport.http.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The body format of the HTTP transport, and its incremental decoder.
 *
 * <h2>Format</h2>
 * A body ({@value #CONTENT_TYPE}) is a sequence of one or more frames; each frame is the length of one encoded
 * raft-wire {@code Envelope} as an unsigned base-128 varint (at most 5 bytes, the same prefix protobuf's
 * {@code writeDelimitedTo} writes) followed by that many bytes. A batch request carries every message queued for
 * the peer when the request was started; a snapshot upload carries one frame per chunk, written as the chunks
 * are produced.
 *
 * <h2>Decoding</h2>
 * {@link Decoder} is fed the body as it arrives, in buffers of any size, and hands out each complete frame's
 * bytes. It never allocates more than the declared length of the frame it is assembling, and refuses a length
 * over the limit or a malformed varint before allocating, with a {@link FrameException}. Not thread-safe: one
 * decoder per request.
 */
final class Frames {
    /** The media type of request bodies. */
    static final String CONTENT_TYPE = "application/x-protobuf";
    /** The path of batch requests: every message except snapshot chunks. */
    static final String MESSAGES_PATH = "/flotilla/v1/messages";
    /** The path of streamed snapshot uploads: InstallSnapshotRequest chunks only. */
    static final String SNAPSHOT_PATH = "/flotilla/v1/snapshot";
    /** Request header: the sender's cluster id. */
    static final String CLUSTER_HEADER = "Flotilla-Cluster-Id";
    /** Request header: the sender's node id. */
    static final String NODE_HEADER = "Flotilla-Node-Id";
    /** Request header: the addressee's node id (the server refuses requests meant for another node). */
    static final String TO_HEADER = "Flotilla-To";
    /** Request header on batches: {@code <lane epoch>.<sequence>}, so the receiver delivers batches in order. */
    static final String SEQUENCE_HEADER = "Flotilla-Sequence";

    private Frames() {}

    /** Returns the number of bytes {@code value}'s varint takes. */
    static int varintSize(int value) {
        int n = 1;
        while ((value & ~0x7F) != 0) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    /** Writes a frame header (varint length) into {@code out} at {@code offset}; returns the next offset. */
    static int writeLength(byte[] out, int offset, int length) {
        int v = length;
        while ((v & ~0x7F) != 0) {
            out[offset++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[offset++] = (byte) v;
        return offset;
    }

    /** Returns {@code payload} framed: its varint length followed by the payload. */
    static byte[] frame(byte[] payload) {
        byte[] out = new byte[varintSize(payload.length) + payload.length];
        int at = writeLength(out, 0, payload.length);
        System.arraycopy(payload, 0, out, at, payload.length);
        return out;
    }

    /** A body that is not a well-formed sequence of frames within the limits. */
    static final class FrameException extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean tooLarge;

        FrameException(String message, boolean tooLarge) {
            super(message);
            this.tooLarge = tooLarge;
        }
    }

    /** Incremental decoder of one body; see the class comment. */
    static final class Decoder {
        private final int maxFrameBytes;
        private final long maxBodyBytes;
        private long bodyBytes;
        // Length prefix state.
        private int lengthSoFar;
        private int lengthShift;
        private int lengthBytes;
        // Invariant: frame != null exactly while a frame's payload is being assembled; filled < frame.length.
        private byte[] frame;
        private int filled;
        private int frames;

        /**
         * @param maxFrameBytes the largest frame payload accepted
         * @param maxBodyBytes the largest whole body accepted (Long.MAX_VALUE for streams)
         */
        Decoder(int maxFrameBytes, long maxBodyBytes) {
            this.maxFrameBytes = maxFrameBytes;
            this.maxBodyBytes = maxBodyBytes;
        }

        /**
         * Consumes all of {@code in} and returns the payloads completed by it, in order.
         *
         * @throws FrameException if the body is malformed or over a limit
         */
        List<byte[]> feed(ByteBuffer in) throws FrameException {
            bodyBytes += in.remaining();
            if (bodyBytes > maxBodyBytes) {
                throw new FrameException("body exceeds the limit of " + maxBodyBytes + " bytes", true);
            }
            List<byte[]> out = List.of();
            while (in.hasRemaining()) {
                if (frame == null) {
                    int b = in.get() & 0xFF;
                    lengthBytes++;
                    if (lengthBytes > 5 || (lengthBytes == 5 && (b & 0xF0) != 0)) {
                        throw new FrameException("frame " + frames + " has a malformed length prefix", false);
                    }
                    lengthSoFar |= (b & 0x7F) << lengthShift;
                    lengthShift += 7;
                    if ((b & 0x80) != 0) {
                        continue;
                    }
                    int length = lengthSoFar;
                    lengthSoFar = 0;
                    lengthShift = 0;
                    lengthBytes = 0;
                    if (length < 0 || length > maxFrameBytes) {
                        throw new FrameException("frame " + frames + " declares " + Integer.toUnsignedString(length)
                                + " bytes, over the limit of " + maxFrameBytes, true);
                    }
                    if (length == 0) {
                        throw new FrameException("frame " + frames + " is empty", false);
                    }
                    frame = new byte[length];
                    filled = 0;
                }
                int n = Math.min(in.remaining(), frame.length - filled);
                in.get(frame, filled, n);
                filled += n;
                if (filled == frame.length) {
                    if (out.isEmpty()) {
                        out = new ArrayList<>(2);
                    }
                    out.add(frame);
                    frame = null;
                    frames++;
                }
            }
            return out;
        }

        /**
         * Checks that the body ended on a frame boundary after at least one frame.
         *
         * @throws FrameException if a frame was cut short or the body was empty
         */
        void finish() throws FrameException {
            if (frame != null || lengthBytes > 0) {
                throw new FrameException("body ends inside frame " + frames, false);
            }
            if (frames == 0) {
                throw new FrameException("body holds no frame", false);
            }
        }

        /** Returns the number of complete frames so far. */
        int frames() {
            return frames;
        }
    }
}
