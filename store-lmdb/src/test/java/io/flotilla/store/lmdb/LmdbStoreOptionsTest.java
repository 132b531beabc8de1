package io.flotilla.store.lmdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.InvalidConfigException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class LmdbStoreOptionsTest {

    @Test
    void defaults_areDurable_withA64MiBMapGrowingTo16GiB() {
        LmdbStoreOptions d = LmdbStoreOptions.defaults();
        assertEquals(64L << 20, d.mapSizeBytes());
        assertEquals(16L << 30, d.maxMapSizeBytes());
        assertEquals(LmdbStoreOptions.SyncMode.DURABLE, d.sync());
    }

    @Test
    void constructor_withEveryValueWrong_listsEveryViolation() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> new LmdbStoreOptions(10, 1L << 41, null));
        assertEquals(3, e.violations().size(), e.violations().toString());
    }

    @Test
    void constructor_ceilingBelowInitialSize_isRejected() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> new LmdbStoreOptions(8L << 20, 4L << 20, LmdbStoreOptions.SyncMode.DURABLE));
        assertTrue(e.getMessage().contains("maxMapSizeBytes"), e.getMessage());
    }

    @Test
    void fromUri_readsEveryKey_onHierarchicalAndOpaqueUris() {
        LmdbStoreOptions o = LmdbStoreOptions.fromUri(URI.create(
                "lmdb:///var/raft/n1?mapSizeBytes=2097152&maxMapSizeBytes=4194304&sync=unsafe_no_fsync_for_tests"));
        assertEquals(new LmdbStoreOptions(2L << 20, 4L << 20, LmdbStoreOptions.SyncMode.UNSAFE_NO_FSYNC_FOR_TESTS), o);
        assertEquals(o, LmdbStoreOptions.fromUri(URI.create(
                "lmdb:data/n1?mapSizeBytes=2097152&maxMapSizeBytes=4194304&sync=UNSAFE_NO_FSYNC_FOR_TESTS")));
        assertEquals(LmdbStoreOptions.defaults(), LmdbStoreOptions.fromUri(URI.create("lmdb:data/n1")));
    }

    @Test
    void fromUri_aMapLargerThanTheDefaultCeiling_raisesTheCeiling() {
        long big = 32L << 30;
        LmdbStoreOptions o = LmdbStoreOptions.fromUri(URI.create("lmdb:///d?mapSizeBytes=" + big));
        assertEquals(big, o.mapSizeBytes());
        assertEquals(big, o.maxMapSizeBytes());
    }

    @Test
    void fromUri_unknownKeysAndBadValues_areAllReported() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> LmdbStoreOptions.fromUri(
                URI.create("lmdb:///d?mapSize=1&maxMapSizeBytes=x&sync=sometimes&mapSizeBytes=5")));
        assertEquals(4, e.violations().size(), e.violations().toString());
    }

    @Test
    void withers_replaceOneValue() {
        LmdbStoreOptions d = LmdbStoreOptions.defaults();
        assertEquals(2L << 20, d.withMapSizeBytes(2L << 20).mapSizeBytes());
        assertEquals(1L << 40, d.withMaxMapSizeBytes(1L << 40).maxMapSizeBytes());
        assertEquals(LmdbStoreOptions.SyncMode.UNSAFE_NO_FSYNC_FOR_TESTS,
                d.withSync(LmdbStoreOptions.SyncMode.UNSAFE_NO_FSYNC_FOR_TESTS).sync());
    }
}
