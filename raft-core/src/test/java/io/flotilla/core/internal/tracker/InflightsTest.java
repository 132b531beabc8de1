package io.flotilla.core.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InflightsTest {
    @Test
    void add_fillsByCount() {
        Inflights in = new Inflights(3, 1000);
        in.add(1, 10);
        in.add(2, 10);
        assertFalse(in.full());
        in.add(5, 10);
        assertTrue(in.full());
        assertThrows(IllegalStateException.class, () -> in.add(6, 1));
    }

    @Test
    void add_fillsByBytes() {
        Inflights in = new Inflights(10, 100);
        in.add(1, 60);
        assertFalse(in.full());
        in.add(2, 40);
        assertTrue(in.full());
        assertEquals(100, in.bytes());
    }

    @Test
    void freeLE_releasesAcknowledgedMessagesAndTheirBytes() {
        Inflights in = new Inflights(4, 1000);
        in.add(3, 10);
        in.add(6, 20);
        in.add(9, 30);
        in.freeLE(7);
        assertEquals(1, in.count());
        assertEquals(30, in.bytes());
        in.freeLE(2); // stale ack: nothing
        assertEquals(1, in.count());
        in.freeLE(100);
        assertEquals(0, in.count());
        assertEquals(0, in.bytes());
    }

    @Test
    void ringBuffer_wrapsAround() {
        Inflights in = new Inflights(3, 1_000_000);
        long idx = 0;
        for (int round = 0; round < 10; round++) {
            in.add(++idx, 1);
            in.add(++idx, 1);
            in.freeFirstOne();
            in.freeFirstOne();
        }
        assertEquals(0, in.count());
        in.add(++idx, 1);
        in.add(++idx, 1);
        in.add(++idx, 1);
        assertTrue(in.full());
        in.freeLE(idx - 1);
        assertEquals(1, in.count());
    }

    @Test
    void add_requiresIncreasingIndices() {
        Inflights in = new Inflights(3, 100);
        in.add(5, 1);
        assertThrows(IllegalStateException.class, () -> in.add(5, 1));
    }

    @Test
    void reset_forgetsEverything() {
        Inflights in = new Inflights(2, 100);
        in.add(1, 50);
        in.add(2, 50);
        in.reset();
        assertFalse(in.full());
        assertEquals(0, in.bytes());
    }
}
