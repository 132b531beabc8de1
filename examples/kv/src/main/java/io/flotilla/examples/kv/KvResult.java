package io.flotilla.examples.kv;

import io.flotilla.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of the key-value state machine to a command or query, as returned through
 * {@code ProposalResult.value()} or {@code RaftNode.read}.
 *
 * <p>Encoding: status byte, version (long), then a presence byte and the value, then a UTF-8 message (unsigned
 * 16-bit length). <b>Threading:</b> immutable.
 *
 * @param status the outcome
 * @param version the log index that last wrote the key (0 if none); for {@link KvCommand.Stats}, the last
 *     applied index
 * @param value the key's value where the outcome carries one (a get, a failed compare-and-set), or for
 *     {@link KvCommand.Stats} the number of live keys as 8 bytes
 * @param message a reason, for {@link Status#INVALID}; otherwise empty
 */
public record KvResult(Status status, long version, Optional<Bytes> value, String message) {

    /** Outcome of an operation. */
    public enum Status {
        /** Done; a get found the key. */
        OK,
        /** The key does not exist (get, delete). */
        NOT_FOUND,
        /** A compare-and-set found another value; {@code value} holds the current one, if any. */
        CAS_MISMATCH,
        /** The command was malformed; nothing changed. */
        INVALID
    }

    /**
     * Validates.
     *
     * @param status not null
     * @param version at least 0
     * @param value not null
     * @param message not null
     */
    public KvResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(message, "message");
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, got " + version);
        }
    }

    static KvResult ok(long version) {
        return new KvResult(Status.OK, version, Optional.empty(), "");
    }

    static KvResult found(long version, Bytes value) {
        return new KvResult(Status.OK, version, Optional.of(value), "");
    }

    static KvResult notFound() {
        return new KvResult(Status.NOT_FOUND, 0, Optional.empty(), "");
    }

    static KvResult invalid(String message) {
        String m = message.length() > 200 ? message.substring(0, 200) : message;
        return new KvResult(Status.INVALID, 0, Optional.empty(), m);
    }

    /**
     * Encodes this result.
     *
     * @return the bytes
     */
    public Bytes encode() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.writeByte(status.ordinal());
            out.writeLong(version);
            out.writeBoolean(value.isPresent());
            if (value.isPresent()) {
                KvCommand.writeValue(out, value.get());
            }
            out.writeUTF(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Bytes.unsafeWrap(buf.toByteArray());
    }

    /**
     * Decodes a result.
     *
     * @param bytes an encoded result
     * @return the result
     * @throws MalformedCommandException if the bytes are not a valid result
     */
    public static KvResult decode(Bytes bytes) {
        try (DataInputStream in = new DataInputStream(bytes.newInputStream())) {
            int s = in.readUnsignedByte();
            if (s >= Status.values().length) {
                throw new MalformedCommandException("unknown result status " + s);
            }
            long version = in.readLong();
            Optional<Bytes> value = in.readBoolean() ? Optional.of(KvCommand.readValue(in)) : Optional.empty();
            String message = in.readUTF();
            if (in.read() != -1) {
                throw new MalformedCommandException("trailing bytes after the result");
            }
            return new KvResult(Status.values()[s], version, value, message);
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedCommandException("malformed result: " + e.getMessage());
        }
    }
}
