package io.flotilla.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.HardState;
import io.flotilla.InvalidConfigException;
import io.flotilla.NodeId;
import io.flotilla.spi.Capability;
import io.flotilla.spi.LogStoreProvider;
import io.flotilla.spi.Providers;
import io.flotilla.spi.Storage;
import io.flotilla.spi.StorageContext;
import io.flotilla.store.file.FileStoreOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStorageProviderTest {
    @TempDir
    Path dir;

    private static final StorageContext CTX = new StorageContext(NodeId.of("n1"));

    @Test
    void serviceLoader_choosesTheFileProvider_forFileUris() {
        LogStoreProvider p = Providers.storage(Optional.of(dir.toUri()));
        assertInstanceOf(FileStorageProvider.class, p);
        assertEquals("file", p.name());
        assertFalse(p.supports(URI.create("mem:n1")));
    }

    @Test
    void open_fileUriWithOptions_createsTheLayout_andReopens() throws IOException {
        URI uri = URI.create(dir.toUri() + "n1?segmentBytes=65536&cacheBytes=4096");
        try (Storage s = new FileStorageProvider().open(uri, CTX)) {
            assertTrue(s.log().capabilities().contains(Capability.CONCURRENT_READS));
            assertTrue(s.snapshots().capabilities().contains(Capability.INCREMENTAL_SNAPSHOTS));
            s.log().append(Entries.run(1, 3, 1, 10));
            s.state().save(HardState.of(3, NodeId.of("n2")));
        }
        assertEquals(65536, Files.size(dir.resolve("n1/log").resolve("00000000000000000001.seg")));
        try (Storage s = new FileStorageProvider().open(uri, CTX)) {
            assertEquals(3, s.log().lastIndex());
            assertEquals(HardState.of(3, NodeId.of("n2")), s.state().load());
        }
    }

    @Test
    void open_aDirectoryAlreadyInUse_fails_andWorksAgainAfterClose() throws IOException {
        URI uri = dir.resolve("n1").toUri();
        try (Storage s = new FileStorageProvider().open(uri, CTX)) {
            IOException e = assertThrows(IOException.class, () -> new FileStorageProvider().open(uri, CTX));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        new FileStorageProvider().open(uri, CTX).close();
    }

    @Test
    void options_andDirectory_parsedFromOpaqueAndHierarchicalUris() {
        assertEquals(Path.of("/var/raft/n1"), FileStorageProvider.directory(URI.create("file:///var/raft/n1?x=1")));
        assertEquals(Path.of("data/n1"), FileStorageProvider.directory(URI.create("file:data/n1?segmentBytes=8192")));
        assertEquals(8192, FileStorageProvider.options(URI.create("file:data/n1?segmentBytes=8192")).segmentBytes());
        assertEquals(FileStoreOptions.defaults(), FileStorageProvider.options(URI.create("file:///var/raft/n1")));
        assertThrows(IllegalArgumentException.class, () -> FileStorageProvider.directory(URI.create("file://host/x")));
    }

    @Test
    void open_invalidOptions_failsWithEveryViolation_andCreatesNothing() {
        URI uri = URI.create(dir.toUri() + "n1?segmentBytes=1&sync=maybe");
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> new FileStorageProvider().open(uri, CTX));
        assertEquals(2, e.violations().size());
        assertFalse(Files.exists(dir.resolve("n1")));
    }
}
