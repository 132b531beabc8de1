package io.flotilla.core.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import io.flotilla.message.InstallSnapshotRequest;
import io.flotilla.message.InstallSnapshotResponse;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.testkit.mem.MemStorage;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * The follower's InstallSnapshot receiver (§7): checksums, offsets, resumption and replacement, on a deterministic
 * runtime. Bad data is refused with the offset to resend from, and nothing of it is committed.
 */
class SnapshotReceiverTest {
    private static final NodeId LEADER = NodeId.of("n1");
    private static final NodeId SELF = NodeId.of("n2");
    private static final SnapshotMeta META = new SnapshotMeta(40, 3,
            ClusterConfig.ofVoters(Map.of(LEADER, URI.create("mem://n1"), SELF, URI.create("mem://n2"))));

    private final ManualRuntime runtime = new ManualRuntime(1);
    private final MemStorage storage = MemStorage.create(SELF);
    private final List<RaftMessage> sent = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final List<SnapshotMeta> committed = new ArrayList<>();
    // Loop tasks the receiver posts are kept, not run: the last one, once a stream is committed, hands the snapshot
    // to the protocol, which this test does not have (SnapshotClusterIT covers that path).
    private final List<Runnable> posted = new ArrayList<>();
    private final SnapshotHost host = new SnapshotHost(posted::add, () -> null, sent::add,
            (what, t) -> failures.add(t));
    private final SnapshotReceiver receiver = new SnapshotReceiver(SELF, storage.snapshots(),
            runtime.snapshotExecutor(), host, (meta, installed) -> committed.add(meta));

    private static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    private static InstallSnapshotRequest chunk(long term, long offset, byte[] data, boolean done, int total) {
        return new InstallSnapshotRequest(LEADER, SELF, term, META, offset, Bytes.copyOf(data), crc(data), done,
                total);
    }

    private InstallSnapshotResponse lastReply() {
        return (InstallSnapshotResponse) sent.get(sent.size() - 1);
    }

    @Test
    void badChunkChecksum_isRefused_withTheOffsetToResendFrom_andNothingIsWritten() throws Exception {
        byte[] data = {1, 2, 3, 4};
        receiver.onChunk(new InstallSnapshotRequest(LEADER, SELF, 5, META, 0, Bytes.copyOf(data), crc(data) ^ 1,
                false, 0));
        runtime.runUntilIdle();
        assertFalse(lastReply().accepted());
        assertEquals(0, lastReply().nextOffset());
        assertTrue(storage.snapshots().latest().isEmpty());
    }

    @Test
    void chunks_areAcknowledgedWhenWritten_aGapIsAnsweredWithTheExpectedOffset() {
        byte[] a = new byte[1000];
        receiver.onChunk(chunk(5, 0, a, false, 0));
        runtime.runUntilIdle();
        assertTrue(lastReply().accepted());
        assertEquals(1000, lastReply().nextOffset());
        receiver.onChunk(chunk(5, 3000, a, false, 0)); // a lost chunk: resume at 1000
        assertFalse(lastReply().accepted());
        assertEquals(1000, lastReply().nextOffset());
        receiver.onChunk(chunk(5, 0, a, false, 0)); // a duplicate of the first chunk
        assertEquals(1000, lastReply().nextOffset());
    }

    @Test
    void badWholeStreamChecksum_discardsEverything_andThePreviousSnapshotStays() throws Exception {
        byte[] a = new byte[500];
        byte[] b = new byte[300];
        receiver.onChunk(chunk(5, 0, a, false, 0));
        receiver.onChunk(chunk(5, 500, b, true, 12345));
        runtime.runUntilIdle();
        assertFalse(lastReply().accepted());
        assertEquals(0, lastReply().nextOffset(), "start over");
        assertTrue(storage.snapshots().latest().isEmpty(), "nothing committed");
        assertTrue(committed.isEmpty());
        assertTrue(failures.isEmpty(), "bad data from the network is not a node failure");
    }

    @Test
    void aTransferOfANewTerm_replacesTheOneInProgress_andAMidStreamChunkOfAnUnknownTransferRestartsIt() {
        byte[] a = new byte[100];
        receiver.onChunk(chunk(5, 0, a, false, 0));
        runtime.runUntilIdle();
        receiver.onChunk(chunk(6, 100, a, false, 0));
        assertFalse(lastReply().accepted());
        assertEquals(0, lastReply().nextOffset(), "unknown transfer (new term): from the start");
        receiver.onChunk(chunk(6, 0, a, false, 0));
        runtime.runUntilIdle();
        assertTrue(lastReply().accepted());
        assertEquals(6, lastReply().term());
        assertEquals(100, lastReply().nextOffset());
    }

    @Test
    void completeStream_isCommittedAsOneFullPart() throws Exception {
        byte[] a = new byte[700];
        byte[] b = new byte[50];
        a[3] = 9;
        CRC32C total = new CRC32C();
        total.update(a);
        total.update(b);
        receiver.onChunk(chunk(5, 0, a, false, 0));
        receiver.onChunk(chunk(5, 700, b, true, (int) total.getValue()));
        runtime.runUntilIdle();
        assertEquals(1, posted.size(), "the commit is reported to the loop");
        assertEquals(40, storage.snapshots().latest().orElseThrow().lastIncludedIndex());
        try (var r = storage.snapshots().openLatest().orElseThrow()) {
            assertEquals(1, r.parts().size());
            assertEquals(SnapshotKind.FULL, r.parts().get(0).kind());
            assertEquals(750, r.parts().get(0).sizeBytes());
        }
    }
}
