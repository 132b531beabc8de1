package io.flotilla;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable sequence of bytes: the payload type of commands, results, log entries and messages.
 *
 * <p>Unlike {@code byte[]}, a {@code Bytes} value cannot change after it is made, and {@link #equals} and
 * {@link #hashCode} compare content, so records that hold it behave as values. Factories copy their input
 * unless their name says otherwise ({@link #unsafeWrap}). Slices share the underlying array without copying.
 *
 * <p>Thread-safe: instances are immutable.
 */
public final class Bytes implements Comparable<Bytes> {
    /** The empty sequence. */
    public static final Bytes EMPTY = new Bytes(new byte[0], 0, 0);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final byte[] array;
    private final int offset;
    private final int length;
    private int hash; // cached; 0 = not computed

    private Bytes(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /**
     * Returns a copy of the given array.
     *
     * @param bytes the bytes to copy
     * @return an immutable copy
     */
    public static Bytes copyOf(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone(), 0, bytes.length);
    }

    /**
     * Returns a copy of a range of the given array.
     *
     * @param bytes the source array
     * @param offset the first byte to copy
     * @param length how many bytes to copy
     * @return an immutable copy
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public static Bytes copyOf(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(bytes, offset, offset + length), 0, length);
    }

    /**
     * Returns a copy of the remaining bytes of a buffer, without changing the buffer's position.
     *
     * @param buffer the source
     * @return an immutable copy
     */
    public static Bytes copyOf(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy.length == 0 ? EMPTY : new Bytes(copy, 0, copy.length);
    }

    /**
     * Returns the UTF-8 encoding of a string.
     *
     * @param text the text
     * @return its UTF-8 bytes
     */
    public static Bytes ofUtf8(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return b.length == 0 ? EMPTY : new Bytes(b, 0, b.length);
    }

    /**
     * Reads exactly {@code length} bytes from a stream.
     *
     * @param in the stream
     * @param length how many bytes to read
     * @return the bytes read
     * @throws IOException if the stream fails or ends before {@code length} bytes
     */
    public static Bytes readFully(InputStream in, int length) throws IOException {
        byte[] b = in.readNBytes(length);
        if (b.length != length) {
            throw new java.io.EOFException("expected " + length + " bytes, stream ended after " + b.length);
        }
        return b.length == 0 ? EMPTY : new Bytes(b, 0, b.length);
    }

    /**
     * Wraps an array <em>without copying</em>. For codecs and stores on hot paths that have just filled a fresh
     * array and never touch it again: the caller must not modify the array afterwards, or the "immutable"
     * value changes under every holder.
     *
     * @param bytes an array that nobody will modify again
     * @return a value backed by the array
     */
    public static Bytes unsafeWrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes, 0, bytes.length);
    }

    /**
     * Wraps a range of an array <em>without copying</em>; same rules as {@link #unsafeWrap(byte[])}.
     *
     * @param bytes an array that nobody will modify again
     * @param offset the first byte
     * @param length the number of bytes
     * @return a value backed by the array range
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public static Bytes unsafeWrap(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return length == 0 ? EMPTY : new Bytes(bytes, offset, length);
    }

    /**
     * Returns the number of bytes.
     *
     * @return the size
     */
    public int size() {
        return length;
    }

    /**
     * Returns whether the sequence is empty.
     *
     * @return {@code true} if {@link #size()} is 0
     */
    public boolean isEmpty() {
        return length == 0;
    }

    /**
     * Returns one byte.
     *
     * @param index the position, from 0
     * @return the byte at that position
     * @throws IndexOutOfBoundsException if the position is outside the sequence
     */
    public byte byteAt(int index) {
        Objects.checkIndex(index, length);
        return array[offset + index];
    }

    /**
     * Returns a sub-sequence that shares this value's storage.
     *
     * @param from the first byte, inclusive
     * @param to the end, exclusive
     * @return the slice
     * @throws IndexOutOfBoundsException if the range is outside the sequence
     */
    public Bytes slice(int from, int to) {
        Objects.checkFromToIndex(from, to, length);
        if (from == 0 && to == length) {
            return this;
        }
        return to == from ? EMPTY : new Bytes(array, offset + from, to - from);
    }

    /**
     * Returns a new array holding a copy of the bytes.
     *
     * @return a fresh array the caller owns
     */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    /**
     * Copies the bytes into an array.
     *
     * @param target the destination
     * @param targetOffset where the first byte goes
     * @throws IndexOutOfBoundsException if the destination is too small
     */
    public void copyTo(byte[] target, int targetOffset) {
        System.arraycopy(array, offset, target, targetOffset, length);
    }

    /**
     * Copies the bytes into a buffer at its position, advancing it.
     *
     * @param target the destination
     * @throws java.nio.BufferOverflowException if the buffer has less room than {@link #size()}
     */
    public void copyTo(ByteBuffer target) {
        target.put(array, offset, length);
    }

    /**
     * Returns a read-only view of the bytes, without copying.
     *
     * @return a read-only buffer positioned at the first byte
     */
    public ByteBuffer asReadOnlyByteBuffer() {
        return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
    }

    /**
     * Writes the bytes to a stream.
     *
     * @param out the destination
     * @throws IOException if the stream fails
     */
    public void writeTo(OutputStream out) throws IOException {
        out.write(array, offset, length);
    }

    /**
     * Returns a stream over the bytes.
     *
     * @return a new input stream
     */
    public InputStream newInputStream() {
        return new java.io.ByteArrayInputStream(array, offset, length);
    }

    /**
     * Decodes the bytes as UTF-8.
     *
     * @return the text (malformed input is replaced, never thrown)
     */
    public String utf8() {
        return new String(array, offset, length, StandardCharsets.UTF_8);
    }

    /**
     * Returns the bytes in lower-case hexadecimal.
     *
     * @return the hex text, two characters a byte
     */
    public String hex() {
        char[] out = new char[length * 2];
        for (int i = 0; i < length; i++) {
            int b = array[offset + i] & 0xff;
            out[2 * i] = HEX[b >>> 4];
            out[2 * i + 1] = HEX[b & 0xf];
        }
        return new String(out);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Bytes)) {
            return false;
        }
        Bytes other = (Bytes) o;
        return length == other.length
                && Arrays.equals(array, offset, offset + length, other.array, other.offset, other.offset + length);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0 && length > 0) {
            h = 1;
            for (int i = offset; i < offset + length; i++) {
                h = 31 * h + array[i];
            }
            hash = h;
        }
        return h;
    }

    /** Compares as unsigned bytes, lexicographically. */
    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(array, offset, offset + length, other.array, other.offset, other.offset + other.length);
    }

    /** Returns the size and up to the first 32 bytes in hex; never the whole payload. */
    @Override
    public String toString() {
        String head = (length <= 32 ? this : slice(0, 32)).hex();
        return "Bytes[" + length + (length == 0 ? "" : ": " + head + (length > 32 ? "…" : "")) + "]";
    }
}
