package io.flotilla.wire.internal;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.EntryKind;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import io.flotilla.message.AppendEntriesRequest;
import io.flotilla.message.AppendEntriesResponse;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.HeartbeatResponse;
import io.flotilla.message.InstallSnapshotRequest;
import io.flotilla.message.InstallSnapshotResponse;
import io.flotilla.message.PreVoteRequest;
import io.flotilla.message.PreVoteResponse;
import io.flotilla.message.RaftMessage;
import io.flotilla.message.ReadIndexRequest;
import io.flotilla.message.ReadIndexResponse;
import io.flotilla.message.TimeoutNow;
import io.flotilla.message.VoteRequest;
import io.flotilla.message.VoteResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random but valid instances of every {@link RaftMessage} record, for round-trip tests and the fuzz corpus. */
final class WireSamples {
    private WireSamples() {}

    static RaftMessage sample(Class<?> type, Random r) {
        NodeId from = NodeId.of("node-" + r.nextInt(100));
        NodeId to = NodeId.of("n." + r.nextInt(100) + "_x");
        long term = edge(r);
        if (type == PreVoteRequest.class) {
            return new PreVoteRequest(from, to, term, edge(r), edge(r));
        } else if (type == PreVoteResponse.class) {
            return new PreVoteResponse(from, to, term, r.nextBoolean());
        } else if (type == VoteRequest.class) {
            return new VoteRequest(from, to, term, edge(r), edge(r), r.nextBoolean());
        } else if (type == VoteResponse.class) {
            return new VoteResponse(from, to, term, r.nextBoolean());
        } else if (type == AppendEntriesRequest.class) {
            long prev = r.nextInt(1000);
            int n = r.nextInt(5);
            List<LogEntry> entries = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                EntryKind kind = EntryKind.values()[r.nextInt(EntryKind.values().length)];
                Bytes payload = kind == EntryKind.CONFIGURATION ? config(r).toBytes()
                        : kind == EntryKind.NO_OP ? Bytes.EMPTY : bytes(r, r.nextInt(64));
                entries.add(new LogEntry(prev + 1 + i, r.nextInt(50), kind, payload));
            }
            return new AppendEntriesRequest(from, to, term, prev, r.nextInt(50), entries, edge(r));
        } else if (type == AppendEntriesResponse.class) {
            return new AppendEntriesResponse(from, to, term, r.nextBoolean(), edge(r), edge(r), edge(r), edge(r),
                    edge(r));
        } else if (type == HeartbeatRequest.class) {
            return new HeartbeatRequest(from, to, term, edge(r), edge(r));
        } else if (type == HeartbeatResponse.class) {
            return new HeartbeatResponse(from, to, term, edge(r), edge(r));
        } else if (type == InstallSnapshotRequest.class) {
            return new InstallSnapshotRequest(from, to, term, new SnapshotMeta(edge(r), edge(r), config(r)),
                    edge(r), bytes(r, r.nextInt(200)), r.nextInt(), r.nextBoolean(), r.nextInt());
        } else if (type == InstallSnapshotResponse.class) {
            return new InstallSnapshotResponse(from, to, term, edge(r), edge(r), r.nextBoolean(), r.nextBoolean());
        } else if (type == TimeoutNow.class) {
            return new TimeoutNow(from, to, term);
        } else if (type == ReadIndexRequest.class) {
            return new ReadIndexRequest(from, to, term, r.nextLong());
        } else if (type == ReadIndexResponse.class) {
            return new ReadIndexResponse(from, to, term, r.nextLong(), r.nextBoolean(), edge(r));
        }
        throw new AssertionError("no sample for " + type.getName() + ": add one");
    }

    /** A non-negative long biased toward the edges (0, 1, Long.MAX_VALUE) where varint bugs live. */
    static long edge(Random r) {
        switch (r.nextInt(6)) {
            case 0:
                return 0;
            case 1:
                return 1;
            case 2:
                return Long.MAX_VALUE;
            case 3:
                return r.nextLong() & Long.MAX_VALUE;
            default:
                return r.nextInt(10_000);
        }
    }

    static Bytes bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return Bytes.unsafeWrap(b);
    }

    static ClusterConfig config(Random r) {
        int n = 1 + r.nextInt(4);
        ClusterConfig.Builder b = ClusterConfig.newBuilder();
        for (int i = 0; i < n; i++) {
            b.addVoter(NodeId.of("v" + i), URI.create("grpc://10.0.0." + i + ":7000"));
        }
        if (r.nextBoolean()) {
            b.addLearner(NodeId.of("l0"), URI.create("grpc://10.0.1.1:7000"));
        }
        return b.build();
    }

    static Map.Entry<String, RaftMessage> named(Class<?> type, Random r) {
        return Map.entry(type.getSimpleName(), sample(type, r));
    }
}
