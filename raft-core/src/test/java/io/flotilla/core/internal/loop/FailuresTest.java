package io.flotilla.core.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flotilla.spi.StoreFailedException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void describeChain_namesTheRootCause_soAFirstNoticerStillReportsTheFsync() {
        IOException root = new IOException("fsync: EIO");
        StoreFailedException outer = new StoreFailedException("store failed earlier", root);
        assertEquals(outer + "; caused by " + root, Failures.describeChain(outer));
    }

    @Test
    void describeChain_singleAndNull() {
        IOException e = new IOException("x");
        assertEquals(e.toString(), Failures.describeChain(e));
        assertEquals("null", Failures.describeChain(null));
    }

    @Test
    void describeChain_stopsOnCycles() {
        IllegalStateException a = new IllegalStateException("a");
        IllegalStateException b = new IllegalStateException("b", a);
        a.initCause(b);
        assertEquals(a + "; caused by " + b, Failures.describeChain(a));
    }
}
