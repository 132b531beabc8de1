package io.flotilla.core.internal.loop;

import java.util.ArrayList;
import java.util.List;

/** Records what the pipelines report. */
final class RecordingCallbacks implements NodeCallbacks {
    final List<long[]> persisted = new ArrayList<>();
    final List<Long> applied = new ArrayList<>();
    final List<Throwable> failures = new ArrayList<>();

    @Override
    public void persisted(long index, long term) {
        persisted.add(new long[] {index, term});
    }

    @Override
    public void applied(long index) {
        applied.add(index);
    }

    @Override
    public void failed(String what, Throwable cause) {
        failures.add(cause);
    }
}
