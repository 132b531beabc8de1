package io.flotilla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class BytesTest {
    @Test
    void copyOf_copiesInput_soLaterMutationIsInvisible() {
        byte[] src = {1, 2, 3};
        Bytes b = Bytes.copyOf(src);
        src[0] = 9;
        assertEquals(1, b.byteAt(0));
        byte[] out = b.toByteArray();
        out[1] = 9;
        assertEquals(2, b.byteAt(1));
    }

    @Test
    void equalsAndHashCode_compareContent_acrossSlicesAndCopies() {
        Bytes whole = Bytes.copyOf(new byte[] {0, 1, 2, 3, 4});
        Bytes slice = whole.slice(1, 4);
        Bytes copy = Bytes.copyOf(new byte[] {1, 2, 3});
        assertEquals(copy, slice);
        assertEquals(copy.hashCode(), slice.hashCode());
        assertNotEquals(whole, slice);
        assertEquals(3, slice.size());
        assertArrayEquals(new byte[] {1, 2, 3}, slice.toByteArray());
    }

    @Test
    void empty_isSingleton_forEveryEmptyFactory() {
        assertSame(Bytes.EMPTY, Bytes.copyOf(new byte[0]));
        assertSame(Bytes.EMPTY, Bytes.ofUtf8(""));
        assertSame(Bytes.EMPTY, Bytes.copyOf(new byte[] {1}).slice(1, 1));
        assertTrue(Bytes.EMPTY.isEmpty());
    }

    @Test
    void slice_outOfRange_throws() {
        Bytes b = Bytes.ofUtf8("abc");
        assertThrows(IndexOutOfBoundsException.class, () -> b.slice(2, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> b.byteAt(3));
    }

    @Test
    void readOnlyBuffer_cannotModifyContent() {
        Bytes b = Bytes.ofUtf8("abc");
        ByteBuffer buf = b.asReadOnlyByteBuffer();
        assertEquals(3, buf.remaining());
        assertThrows(ReadOnlyBufferException.class, () -> buf.put(0, (byte) 'z'));
        assertEquals("abc", b.utf8());
    }

    @Test
    void compareTo_isUnsignedLexicographic() {
        assertTrue(Bytes.copyOf(new byte[] {(byte) 0xff}).compareTo(Bytes.copyOf(new byte[] {0x01})) > 0);
        assertTrue(Bytes.ofUtf8("ab").compareTo(Bytes.ofUtf8("abc")) < 0);
    }

    @Test
    void streams_roundTrip_andShortStreamIsTyped() throws IOException {
        Bytes b = Bytes.ofUtf8("hello world");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.writeTo(out);
        assertEquals(b, Bytes.readFully(new java.io.ByteArrayInputStream(out.toByteArray()), 11));
        assertThrows(EOFException.class, () -> Bytes.readFully(b.newInputStream(), 12));
    }

    @Test
    void toString_showsSizeAndBoundedHex() {
        assertEquals("Bytes[0]", Bytes.EMPTY.toString());
        assertEquals("Bytes[2: 0aff]", Bytes.copyOf(new byte[] {10, (byte) 255}).toString());
        String big = Bytes.copyOf(new byte[1000]).toString();
        assertTrue(big.startsWith("Bytes[1000: ") && big.length() < 100, big);
    }
}
