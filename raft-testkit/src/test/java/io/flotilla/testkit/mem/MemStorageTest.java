package io.flotilla.testkit.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.ProviderSelectionException;
import io.flotilla.spi.Capability;
import io.flotilla.spi.LogStore;
import io.flotilla.spi.LogStoreProvider;
import io.flotilla.spi.Providers;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.spi.Storage;
import io.flotilla.spi.StorageContext;
import io.flotilla.spi.StorageFullException;
import io.flotilla.spi.StoreFailedException;
import io.flotilla.spi.TransportProvider;
import io.flotilla.testkit.internal.TestData;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemStorageTest {
    private static final NodeId N1 = NodeId.of("n1");

    private static List<LogEntry> entries(long from, long to) {
        List<LogEntry> es = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            es.add(TestData.entry(i, 1, 10));
        }
        return es;
    }

    @Test
    void capabilities_areVolatileConcurrentReadsIncremental() {
        MemStorage s = MemStorage.create(N1);
        assertEquals(Set.of(Capability.VOLATILE, Capability.CONCURRENT_READS, Capability.INCREMENTAL_SNAPSHOTS),
                s.capabilities());
        assertTrue(s.log().capabilities().contains(Capability.CONCURRENT_READS));
        assertTrue(s.snapshots().capabilities().contains(Capability.INCREMENTAL_SNAPSHOTS));
        assertEquals(Set.of(Capability.VOLATILE), s.state().capabilities(), "the hard state is volatile, nothing else");
        assertSame(s.log(), s.log(), "accessors return the same instance");
    }

    @Test
    void reopen_closesTheOldView_andKeepsEverything() throws IOException {
        MemStorage s = MemStorage.create(N1);
        s.log().append(entries(1, 3));
        s.state().save(HardState.of(2, N1));
        io.flotilla.testkit.internal.Streams.commit(s.snapshots(), TestData.meta(2, 1), SnapshotKind.FULL, 1, 10);
        MemStorage r = s.reopen();
        assertThrows(IOException.class, () -> s.log().lastIndex(), "the old view is closed");
        assertThrows(IOException.class, () -> s.state().load(), "the old view is closed");
        assertEquals(3, r.log().lastIndex());
        assertEquals(HardState.of(2, N1), r.state().load());
        assertEquals(Optional.of(TestData.meta(2, 1)), r.snapshots().latest());
    }

    @Test
    void failNextWrite_throwsThatError_thenEveryCallFailsUntilReopen() throws IOException {
        MemStorage s = MemStorage.create(N1);
        s.log().append(entries(1, 2));
        IOException boom = new IOException("fsync: EIO");
        s.failNextWrite(boom);
        IOException thrown = assertThrows(IOException.class, () -> s.log().append(entries(3, 3)));
        assertSame(boom, thrown);
        StoreFailedException after = assertThrows(StoreFailedException.class, () -> s.log().lastIndex());
        assertSame(boom, after.getCause());
        assertThrows(StoreFailedException.class, () -> s.state().save(HardState.of(1)));
        assertThrows(StoreFailedException.class, () -> s.snapshots().latest());
        MemStorage r = s.reopen();
        assertEquals(2, r.log().lastIndex(), "the failed write changed nothing");
        r.log().append(entries(3, 3));
        assertEquals(3, r.log().lastIndex(), "a reopened view is not failed");
    }

    @Test
    void failNextWrite_appliesToStateSaves() throws IOException {
        MemStorage s = MemStorage.create(N1);
        s.state().save(HardState.of(1));
        s.failNextWrite(new IOException("EIO"));
        assertThrows(IOException.class, () -> s.state().save(HardState.of(2)));
        assertEquals(HardState.of(1), s.reopen().state().load());
    }

    @Test
    void setFull_failsWritesWithStorageFull_andChangesNothing() throws IOException {
        MemStorage s = MemStorage.create(N1);
        s.log().append(entries(1, 2));
        s.state().save(HardState.of(1));
        s.setFull(true);
        assertThrows(StorageFullException.class, () -> s.log().append(entries(3, 3)));
        assertThrows(StorageFullException.class, () -> s.log().truncateSuffix(2));
        assertThrows(StorageFullException.class, () -> s.log().compactPrefix(1));
        assertThrows(StorageFullException.class, () -> s.state().save(HardState.of(2)));
        try (SnapshotWriter w = s.snapshots().create(TestData.meta(1, 1), SnapshotKind.FULL)) {
            assertThrows(StorageFullException.class, w::commit);
        }
        assertEquals(2, s.log().lastIndex(), "reads still work and nothing changed");
        assertEquals(HardState.of(1), s.state().load());
        assertEquals(Optional.empty(), s.snapshots().latest());
        MemStorage r = s.reopen();
        assertThrows(StorageFullException.class, () -> r.log().append(entries(3, 3)), "full survives reopen");
        r.setFull(false);
        r.log().append(entries(3, 3));
        assertEquals(3, r.log().lastIndex());
    }

    @Test
    void log_manyAppendsAndCompactions_keepAmortisedWindowCorrect() throws IOException {
        LogStore log = MemStorage.create(N1).log();
        long next = 1;
        for (int round = 0; round < 200; round++) {
            log.append(entries(next, next + 49));
            next += 50;
            log.compactPrefix(next - 20);
            assertEquals(next - 19, log.firstIndex());
            assertEquals(entries(next - 19, next - 1), log.entries(next - 19, next, Long.MAX_VALUE));
        }
    }

    @Test
    void provider_memUri_isANamedProcessWideRegistry() throws IOException {
        LogStoreProvider p = Providers.storage(Optional.of(URI.create("mem:registry-test")));
        assertEquals("mem", p.name());
        StorageContext ctx = new StorageContext(N1);
        Storage first = p.open(URI.create("mem:registry-test"), ctx);
        first.log().append(entries(1, 4));
        Storage again = p.open(URI.create("mem:registry-test"), ctx);
        assertThrows(IOException.class, () -> first.log().lastIndex(), "opening the name again restarts it");
        assertEquals(4, again.log().lastIndex(), "same name, same data");
        assertEquals(0, p.open(URI.create("mem:registry-other"), ctx).log().lastIndex(), "names are isolated");
        assertEquals(0, p.open(URI.create("mem:registry-test?reset=true"), ctx).log().lastIndex(), "reset");
        assertThrows(IllegalArgumentException.class, () -> p.open(URI.create("mem:x?bogus=1"), ctx));
        assertThrows(IllegalArgumentException.class, () -> p.open(URI.create("file:///tmp/x"), ctx));
    }

    @Test
    void providers_chooseMemByScheme_andNameTheCandidatesOtherwise() {
        TransportProvider t = Providers.transport(Optional.of(URI.create("mem://n1")));
        assertEquals("mem", t.name());
        ProviderSelectionException e = assertThrows(ProviderSelectionException.class,
                () -> Providers.storage(Optional.of(URI.create("nosuch:x"))));
        assertTrue(e.getMessage().contains("mem"), e.getMessage());
    }
}
