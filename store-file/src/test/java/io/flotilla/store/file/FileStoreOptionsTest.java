package io.flotilla.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.InvalidConfigException;
import io.flotilla.store.file.FileStoreOptions.SyncMode;
import java.net.URI;
import org.junit.jupiter.api.Test;

class FileStoreOptionsTest {
    @Test
    void defaults_areDurable_64MiBSegments_32MiBCache() {
        FileStoreOptions d = FileStoreOptions.defaults();
        assertEquals(SyncMode.DURABLE, d.sync());
        assertEquals(64 << 20, d.segmentBytes());
        assertEquals(32L << 20, d.cacheBytes());
    }

    @Test
    void fromUri_withoutQuery_givesDefaults() {
        assertEquals(FileStoreOptions.defaults(), FileStoreOptions.fromUri(URI.create("file:///var/raft/n1")));
    }

    @Test
    void fromUri_readsEveryOption() {
        FileStoreOptions o = FileStoreOptions.fromUri(URI.create(
                "file:///var/raft/n1?segmentBytes=67108864&cacheBytes=1024&sync=unsafe_no_fsync_for_tests"));
        assertEquals(new FileStoreOptions(67108864, 1024, SyncMode.UNSAFE_NO_FSYNC_FOR_TESTS), o);
    }

    @Test
    void fromUri_reportsEveryViolationAtOnce() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> FileStoreOptions.fromUri(
                URI.create("file:///x?segmentBytes=12&cacheBytes=abc&sync=sometimes&colour=blue")));
        assertEquals(4, e.violations().size(), e.violations().toString());
        assertTrue(e.getMessage().contains("segmentBytes"));
        assertTrue(e.getMessage().contains("cacheBytes"));
        assertTrue(e.getMessage().contains("sync"));
        assertTrue(e.getMessage().contains("colour"));
    }

    @Test
    void constructor_reportsEveryViolation() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> new FileStoreOptions(1, -1, null));
        assertEquals(3, e.violations().size(), e.violations().toString());
    }

    @Test
    void withers_validate() {
        assertEquals(8192, FileStoreOptions.defaults().withSegmentBytes(8192).segmentBytes());
        assertThrows(InvalidConfigException.class, () -> FileStoreOptions.defaults().withCacheBytes(-5));
        assertEquals(SyncMode.UNSAFE_NO_FSYNC_FOR_TESTS,
                FileStoreOptions.defaults().withSync(SyncMode.UNSAFE_NO_FSYNC_FOR_TESTS).sync());
    }
}
