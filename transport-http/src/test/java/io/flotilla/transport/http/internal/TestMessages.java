package io.flotilla.transport.http.internal;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
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
import java.util.zip.CRC32C;

/** Sample messages of every kind, for the hardening and fuzz tests. */
final class TestMessages {
    private TestMessages() {}

    /** One or more of every kind except snapshot chunks. */
    static List<RaftMessage> replication(NodeId from, NodeId to, long term) {
        List<RaftMessage> m = new ArrayList<>();
        m.add(new PreVoteRequest(from, to, term, 41, 3));
        m.add(new PreVoteResponse(from, to, term, true));
        m.add(new VoteRequest(from, to, term, 42, 4, true));
        m.add(new VoteResponse(from, to, term, false));
        m.add(new AppendEntriesRequest(from, to, term, 9, 2, List.of(LogEntry.noOp(10, 3),
                LogEntry.command(11, 3, Bytes.ofUtf8("héllo")), LogEntry.command(12, 3, Bytes.EMPTY)), 8));
        m.add(new AppendEntriesResponse(from, to, term, false, 0, 9, 2, 7, 20));
        m.add(new HeartbeatRequest(from, to, term, 12, 77));
        m.add(new HeartbeatResponse(from, to, term, 77, 12));
        m.add(new InstallSnapshotResponse(from, to, term, 100, 4096, true, false));
        m.add(new TimeoutNow(from, to, term));
        m.add(new ReadIndexRequest(from, to, term, -5));
        m.add(new ReadIndexResponse(from, to, term, 123456789012L, true, 99));
        return m;
    }

    /** A snapshot chunk with a correct chunk checksum. */
    static InstallSnapshotRequest chunk(NodeId from, NodeId to, long term, long offset, byte[] data, boolean done) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        SnapshotMeta meta = new SnapshotMeta(100, 3, ClusterConfig.ofVoters(Map.of(from, URI.create("http://127.0.0.1:1"),
                to, URI.create("http://127.0.0.1:2"))));
        return new InstallSnapshotRequest(from, to, term, meta, offset, Bytes.copyOf(data), (int) crc.getValue(), done,
                0);
    }
}
