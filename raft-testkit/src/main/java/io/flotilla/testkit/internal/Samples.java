package io.flotilla.testkit.internal;

import io.flotilla.Bytes;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
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
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** Sample messages with non-default values in every field, one or more per permitted subclass. */
public final class Samples {
    private Samples() {}

    /**
     * Returns at least one message of every {@link RaftMessage} subclass, with distinctive field values.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the term stamped on every message
     * @return the samples
     */
    public static List<RaftMessage> all(NodeId from, NodeId to, long term) {
        List<RaftMessage> m = new ArrayList<>();
        m.add(new PreVoteRequest(from, to, term, 41, 3));
        m.add(new PreVoteResponse(from, to, term, true));
        m.add(new VoteRequest(from, to, term, 42, 4, true));
        m.add(new VoteRequest(from, to, term, 0, 0, false));
        m.add(new VoteResponse(from, to, term, false));
        m.add(new AppendEntriesRequest(from, to, term, 9, 2, List.of(
                LogEntry.noOp(10, 3), LogEntry.command(11, 3, Bytes.ofUtf8("héllo ✓")),
                LogEntry.configuration(12, 3, TestData.config()), LogEntry.command(13, 3, Bytes.EMPTY)), 8));
        m.add(new AppendEntriesRequest(from, to, term, 0, 0, List.of(), 0));
        m.add(new AppendEntriesResponse(from, to, term, true, 13, 0, 0, 0, 13));
        m.add(new AppendEntriesResponse(from, to, term, false, 0, 9, 2, 7, 20));
        m.add(new HeartbeatRequest(from, to, term, 12, 77));
        m.add(new HeartbeatResponse(from, to, term, 77, 12));
        m.add(snapshotChunk(from, to, term, 0, TestData.payload(5, 1000), false, 0));
        m.add(new InstallSnapshotResponse(from, to, term, 100, 4096, true, false));
        m.add(new TimeoutNow(from, to, term));
        m.add(new ReadIndexRequest(from, to, term, -5));
        m.add(new ReadIndexResponse(from, to, term, 123456789012L, true, 99));
        return m;
    }

    /**
     * Returns an InstallSnapshot chunk with a correct chunk checksum.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the term
     * @param offset the chunk offset
     * @param data the chunk
     * @param done whether last
     * @param snapshotCrc the whole-stream checksum if last
     * @return the message
     */
    public static InstallSnapshotRequest snapshotChunk(NodeId from, NodeId to, long term, long offset, Bytes data,
            boolean done, int snapshotCrc) {
        CRC32C crc = new CRC32C();
        crc.update(data.asReadOnlyByteBuffer());
        return new InstallSnapshotRequest(from, to, term, TestData.meta(100, 3), offset, data,
                (int) crc.getValue(), done, snapshotCrc);
    }
}
