package io.flotilla.store.lmdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.HardState;
import io.flotilla.InvalidConfigException;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.spi.Capability;
import io.flotilla.spi.LogStoreProvider;
import io.flotilla.spi.Storage;
import io.flotilla.spi.StorageContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmdbStorageProviderTest {
    private static final StorageContext CTX = new StorageContext(NodeId.of("n1"));

    @TempDir
    Path dir;

    private static LogStoreProvider lmdb() {
        // The core declares `uses`; this test stands in for it.
        LmdbStorageProviderTest.class.getModule().addUses(LogStoreProvider.class);
        List<LogStoreProvider> found = ServiceLoader.load(LogStoreProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("lmdb")).collect(Collectors.toList());
        assertEquals(1, found.size(), "exactly one lmdb provider is registered");
        return found.get(0);
    }

    @Test
    void serviceLoader_findsTheProvider_forLmdbUrisOnly() {
        LogStoreProvider p = lmdb();
        assertTrue(p.supports(URI.create("lmdb:///var/raft/n1")));
        assertTrue(p.supports(URI.create("LMDB:data/n1")));
        assertFalse(p.supports(URI.create("file:///var/raft/n1")));
        assertFalse(p.supports(URI.create("mem:n1")));
    }

    @Test
    void open_writeCloseReopen_keepsLogStateAndLayout() throws IOException {
        URI uri = URI.create("lmdb:" + dir.resolve("n1") + "?mapSizeBytes=1048576");
        try (Storage s = lmdb().open(uri, CTX)) {
            assertTrue(s.log().capabilities().contains(Capability.CONCURRENT_READS));
            assertTrue(s.snapshots().capabilities().contains(Capability.INCREMENTAL_SNAPSHOTS));
            s.log().append(List.of(LogEntry.command(1, 3, Bytes.ofUtf8("a")), LogEntry.noOp(2, 3)));
            s.state().save(HardState.of(3, NodeId.of("n2")));
        }
        assertTrue(Files.exists(dir.resolve("n1/lmdb/data.mdb")));
        assertTrue(Files.isDirectory(dir.resolve("n1/snapshots")));
        try (Storage s = lmdb().open(uri, CTX)) {
            assertEquals(2, s.log().lastIndex());
            assertEquals(Bytes.ofUtf8("a"), s.log().entries(1, 2, 100).get(0).payload());
            assertEquals(HardState.of(3, NodeId.of("n2")), s.state().load());
        }
    }

    @Test
    void open_twice_isRefusedWhileTheFirstIsOpen() throws IOException {
        URI uri = dir.resolve("n1").toUri();
        URI lmdbUri = URI.create("lmdb://" + uri.getPath());
        try (Storage s = lmdb().open(lmdbUri, CTX)) {
            assertEquals(0, s.log().lastIndex());
            IOException e = assertThrows(IOException.class, () -> lmdb().open(lmdbUri, CTX));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        lmdb().open(lmdbUri, CTX).close(); // released on close
    }

    @Test
    void open_badLocationsOrOptions_failWithTypedErrors() {
        assertThrows(IllegalArgumentException.class, () -> lmdb().open(URI.create("lmdb://host/x"), CTX));
        assertThrows(IllegalArgumentException.class, () -> lmdb().open(URI.create("file:///x"), CTX));
        assertThrows(InvalidConfigException.class,
                () -> lmdb().open(URI.create("lmdb:" + dir + "?segmentBytes=1"), CTX));
    }
}
