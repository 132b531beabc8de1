package io.flotilla.core.internal.loop;

import io.flotilla.LogEntry;
import io.flotilla.core.internal.log.StableLog;
import io.flotilla.spi.LogStore;
import java.io.IOException;
import java.util.List;

/**
 * The protocol's read-only view of the durable log, straight over the {@link LogStore}. The loop reads while the
 * storage thread writes, which the store allows ({@link io.flotilla.spi.Capability#CONCURRENT_READS}).
 */
final class LogStoreStableLog implements StableLog {
    private final LogStore store;

    LogStoreStableLog(LogStore store) {
        this.store = store;
    }

    @Override
    public long firstIndex() throws IOException {
        return store.firstIndex();
    }

    @Override
    public long lastIndex() throws IOException {
        return store.lastIndex();
    }

    @Override
    public long term(long index) throws IOException {
        return store.term(index);
    }

    @Override
    public List<LogEntry> entries(long fromIndex, long toIndex, long maxBytes) throws IOException {
        return store.entries(fromIndex, toIndex, maxBytes);
    }
}
