package io.flotilla.core.internal.loop;

import io.flotilla.Bytes;
import io.flotilla.spi.SnapshotImage;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.StateMachine;
import java.util.ArrayList;
import java.util.List;

/** A state machine that records applied indices and answers queries with the number of applied commands. */
final class KvRecorder implements StateMachine {
    final List<Long> applied = new ArrayList<>();
    final List<String> queries = new ArrayList<>();
    long failAt = -1;

    @Override
    public Bytes apply(long logIndex, Bytes command) {
        if (logIndex == failAt) {
            throw new IllegalStateException("apply failed at " + logIndex);
        }
        applied.add(logIndex);
        return Bytes.ofUtf8("r" + logIndex);
    }

    @Override
    public Bytes query(Bytes query) {
        queries.add(query.utf8());
        return Bytes.ofUtf8("applied=" + applied.size());
    }

    @Override
    public SnapshotImage prepareSnapshot(long lastAppliedIndex) {
        return out -> { };
    }

    @Override
    public void restore(SnapshotReader snapshot) {
        applied.clear();
    }
}
