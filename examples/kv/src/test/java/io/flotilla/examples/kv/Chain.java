package io.flotilla.examples.kv;

import io.flotilla.ClusterConfig;
import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import io.flotilla.spi.SnapshotImage;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A snapshot chain held in memory, standing in for a SnapshotStore in state-machine tests. */
final class Chain {
    static final ClusterConfig CONFIG = ClusterConfig.ofVoters(Map.of(NodeId.of("n1"), URI.create("mem://n1")));

    /** One stored part. */
    record Part(SnapshotKind kind, long index, byte[] data) implements SnapshotPart {
        @Override
        public SnapshotMeta meta() {
            return new SnapshotMeta(index, 1, CONFIG);
        }

        @Override
        public long sizeBytes() {
            return data.length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(data);
        }
    }

    final List<Part> parts = new ArrayList<>();

    static byte[] write(SnapshotImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (image) {
            image.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    void full(long index, SnapshotImage image) {
        parts.clear();
        parts.add(new Part(SnapshotKind.FULL, index, write(image)));
    }

    void delta(long index, SnapshotImage image) {
        parts.add(new Part(SnapshotKind.DELTA, index, write(image)));
    }

    long lastIndex() {
        return parts.get(parts.size() - 1).index();
    }

    SnapshotReader reader() {
        return reader(List.copyOf(parts));
    }

    static SnapshotReader reader(List<? extends SnapshotPart> parts) {
        return new SnapshotReader() {
            @Override
            public SnapshotMeta meta() {
                return parts.get(parts.size() - 1).meta();
            }

            @Override
            public List<SnapshotPart> parts() {
                return List.copyOf(parts);
            }

            @Override
            public void close() {}
        };
    }

    byte[] merge(KvStateMachine sm) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!sm.mergeSnapshot(List.copyOf(parts), out)) {
            throw new AssertionError("mergeSnapshot declined");
        }
        return out.toByteArray();
    }
}
