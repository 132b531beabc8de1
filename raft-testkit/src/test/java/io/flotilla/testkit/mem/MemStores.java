package io.flotilla.testkit.mem;

import io.flotilla.NodeId;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Keys {@link MemStorage} data by directory, so a contract's "reopen the same directory" is a restart. */
final class MemStores {
    private final Map<Path, MemStorage> byDir = new HashMap<>();

    /** Returns a new view over the data for {@code dir}: fresh the first time, reopened afterwards. */
    synchronized MemStorage open(Path dir) {
        return byDir.compute(dir, (k, previous) ->
                previous == null ? MemStorage.create(NodeId.of("n1")) : previous.reopen());
    }

    /** Returns the latest view opened for {@code dir}. */
    synchronized MemStorage current(Path dir) {
        MemStorage s = byDir.get(dir);
        if (s == null) {
            throw new IllegalStateException("no store was opened in " + dir);
        }
        return s;
    }
}
