package io.flotilla.examples.kv;

import io.flotilla.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A command or query of the key-value state machine, and its binary encoding in the Raft log.
 *
 * <p>Encoding (big-endian): format version byte ({@value #FORMAT}), operation byte, then the operation's fields;
 * a key is an unsigned 16-bit length and UTF-8 bytes, a value a 32-bit length and bytes. Every decoder checks
 * lengths against {@link #MAX_KEY_BYTES} and {@link #MAX_VALUE_BYTES} and rejects trailing bytes, so a malformed
 * command decodes to a {@link MalformedCommandException}, never to garbage.
 *
 * <p><b>Threading:</b> immutable values; the static methods are thread-safe.
 */
public sealed interface KvCommand {
    /** The encoding's version byte. */
    int FORMAT = 1;
    /** Longest key, in UTF-8 bytes. */
    int MAX_KEY_BYTES = 1024;
    /** Longest value, in bytes. */
    int MAX_VALUE_BYTES = 1 << 20;

    /**
     * Sets a key's value.
     *
     * @param key the key
     * @param value the new value
     */
    record Put(String key, Bytes value) implements KvCommand {
        /**
         * Validates.
         *
         * @param key a valid key
         * @param value at most {@link #MAX_VALUE_BYTES}
         */
        public Put {
            checkKey(key);
            checkValue(value);
        }
    }

    /**
     * Removes a key.
     *
     * @param key the key
     */
    record Delete(String key) implements KvCommand {
        /**
         * Validates.
         *
         * @param key a valid key
         */
        public Delete {
            checkKey(key);
        }
    }

    /**
     * Sets a key's value only if its current value is the expected one (empty: only if the key is absent).
     *
     * @param key the key
     * @param expected the value the key must hold, or empty if it must be absent
     * @param value the new value
     */
    record CompareAndSet(String key, Optional<Bytes> expected, Bytes value) implements KvCommand {
        /**
         * Validates.
         *
         * @param key a valid key
         * @param expected not null
         * @param value at most {@link #MAX_VALUE_BYTES}
         */
        public CompareAndSet {
            checkKey(key);
            Objects.requireNonNull(expected, "expected").ifPresent(KvCommand::checkValue);
            checkValue(value);
        }
    }

    /**
     * A read-only lookup (a query, passed to {@code RaftNode.read}, never written to the log).
     *
     * @param key the key
     */
    record Get(String key) implements KvCommand {
        /**
         * Validates.
         *
         * @param key a valid key
         */
        public Get {
            checkKey(key);
        }
    }

    /** A read-only query for the number of live keys and the last applied index. */
    record Stats() implements KvCommand {}

    /** Operation codes. */
    int OP_PUT = 1;
    /** Operation code of {@link Delete}. */
    int OP_DELETE = 2;
    /** Operation code of {@link CompareAndSet}. */
    int OP_CAS = 3;
    /** Operation code of {@link Get}. */
    int OP_GET = 4;
    /** Operation code of {@link Stats}. */
    int OP_STATS = 5;

    /**
     * Encodes this command.
     *
     * @return the bytes to propose (or to pass to {@code RaftNode.read} for {@link Get} and {@link Stats})
     */
    default Bytes encode() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.writeByte(FORMAT);
            if (this instanceof Put p) {
                out.writeByte(OP_PUT);
                writeKey(out, p.key());
                writeValue(out, p.value());
            } else if (this instanceof Delete d) {
                out.writeByte(OP_DELETE);
                writeKey(out, d.key());
            } else if (this instanceof CompareAndSet c) {
                out.writeByte(OP_CAS);
                writeKey(out, c.key());
                out.writeBoolean(c.expected().isPresent());
                if (c.expected().isPresent()) {
                    writeValue(out, c.expected().get());
                }
                writeValue(out, c.value());
            } else if (this instanceof Get g) {
                out.writeByte(OP_GET);
                writeKey(out, g.key());
            } else {
                out.writeByte(OP_STATS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return Bytes.unsafeWrap(buf.toByteArray());
    }

    /**
     * Decodes a command.
     *
     * @param bytes an encoded command
     * @return the command
     * @throws MalformedCommandException if the bytes are not a valid command of a known format
     */
    static KvCommand decode(Bytes bytes) {
        try (DataInputStream in = new DataInputStream(bytes.newInputStream())) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new MalformedCommandException("unknown command format " + format);
            }
            int op = in.readUnsignedByte();
            KvCommand c;
            switch (op) {
                case OP_PUT -> c = new Put(readKey(in), readValue(in));
                case OP_DELETE -> c = new Delete(readKey(in));
                case OP_CAS -> {
                    String key = readKey(in);
                    Optional<Bytes> expected = in.readBoolean() ? Optional.of(readValue(in)) : Optional.empty();
                    c = new CompareAndSet(key, expected, readValue(in));
                }
                case OP_GET -> c = new Get(readKey(in));
                case OP_STATS -> c = new Stats();
                default -> throw new MalformedCommandException("unknown operation " + op);
            }
            if (in.read() != -1) {
                throw new MalformedCommandException("trailing bytes after the command");
            }
            return c;
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedCommandException("malformed command: " + e.getMessage());
        }
    }

    /**
     * Checks a key: 1 to {@link #MAX_KEY_BYTES} UTF-8 bytes, well-formed Unicode.
     *
     * @param key the key
     * @throws IllegalArgumentException naming the rule broken
     */
    static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        int len = utf8(key).length;
        if (len > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key is " + len + " bytes, at most " + MAX_KEY_BYTES + " allowed");
        }
    }

    /**
     * Checks a value's size.
     *
     * @param value the value
     * @throws IllegalArgumentException if larger than {@link #MAX_VALUE_BYTES}
     */
    static void checkValue(Bytes value) {
        Objects.requireNonNull(value, "value");
        if (value.size() > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException(
                    "value is " + value.size() + " bytes, at most " + MAX_VALUE_BYTES + " allowed");
        }
    }

    /**
     * Encodes a key to UTF-8, rejecting unpaired surrogates (which would not round-trip).
     *
     * @param key the key
     * @return its UTF-8 bytes
     * @throws IllegalArgumentException if the key is not well-formed Unicode
     */
    static byte[] utf8(String key) {
        try {
            var buf = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(java.nio.CharBuffer.wrap(key));
            byte[] b = new byte[buf.remaining()];
            buf.get(b);
            return b;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("key is not well-formed Unicode");
        }
    }

    /**
     * Writes a key: unsigned 16-bit length, then UTF-8.
     *
     * @param out the stream
     * @param key a checked key
     * @throws IOException if writing failed
     */
    static void writeKey(DataOutputStream out, String key) throws IOException {
        byte[] b = utf8(key);
        out.writeShort(b.length);
        out.write(b);
    }

    /**
     * Reads a key written by {@link #writeKey}.
     *
     * @param in the stream
     * @return the key
     * @throws IOException if the stream ends, or the key is empty, too long or not UTF-8
     */
    static String readKey(DataInputStream in) throws IOException {
        int len = in.readUnsignedShort();
        if (len == 0 || len > MAX_KEY_BYTES) {
            throw new IOException("key length " + len + " outside [1, " + MAX_KEY_BYTES + "]");
        }
        byte[] b = in.readNBytes(len);
        if (b.length != len) {
            throw new java.io.EOFException("stream ends inside a key");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("key is not valid UTF-8");
        }
    }

    /**
     * Writes a value: 32-bit length, then the bytes.
     *
     * @param out the stream
     * @param value the value
     * @throws IOException if writing failed
     */
    static void writeValue(DataOutputStream out, Bytes value) throws IOException {
        out.writeInt(value.size());
        value.writeTo(out);
    }

    /**
     * Reads a value written by {@link #writeValue}.
     *
     * @param in the stream
     * @return the value
     * @throws IOException if the stream ends or the length is out of range
     */
    static Bytes readValue(InputStream in) throws IOException {
        int len = new DataInputStream(in).readInt();
        if (len < 0 || len > MAX_VALUE_BYTES) {
            throw new IOException("value length " + len + " outside [0, " + MAX_VALUE_BYTES + "]");
        }
        return Bytes.readFully(in, len);
    }
}
