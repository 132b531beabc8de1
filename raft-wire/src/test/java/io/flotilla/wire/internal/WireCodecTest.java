package io.flotilla.wire.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.flotilla.Bytes;
import io.flotilla.ClusterId;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.message.AppendEntriesRequest;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.RaftMessage;
import io.flotilla.wire.internal.proto.Entry;
import io.flotilla.wire.internal.proto.Envelope;
import io.flotilla.wire.internal.proto.InstallSnapshotRequest;
import io.flotilla.wire.internal.proto.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WireCodecTest {
    private static final ClusterId CLUSTER = ClusterId.of("c-1");
    private final WireCodec codec = new WireCodec(WireLimits.DEFAULT);

    @Test
    void encodeDecode_everyPermittedSubclass_roundTrips() throws Exception {
        Class<?>[] types = RaftMessage.class.getPermittedSubclasses();
        assertEquals(13, types.length, "a new RaftMessage needs a proto body, a codec case and a sample");
        Random r = new Random(42);
        for (Class<?> type : types) {
            for (int i = 0; i < 50; i++) {
                RaftMessage m = WireSamples.sample(type, r);
                WireMessage back = codec.decode(codec.encode(CLUSTER, m));
                assertEquals(CLUSTER, back.clusterId());
                assertEquals(m, back.message(), type.getSimpleName());
            }
        }
    }

    @Test
    void encode_isDeterministic() throws Exception {
        RaftMessage m = WireSamples.sample(AppendEntriesRequest.class, new Random(7));
        assertArrayEquals(codec.encode(CLUSTER, m), codec.encode(CLUSTER, m));
    }

    @Test
    void decode_payloadsShareTheReceivedArray_noCopyPerEntry() throws Exception {
        Bytes payload = Bytes.ofUtf8("command-payload");
        RaftMessage m = new AppendEntriesRequest(NodeId.of("a"), NodeId.of("b"), 3, 4, 2,
                List.of(LogEntry.command(5, 3, payload)), 4);
        byte[] frame = codec.encode(CLUSTER, m);
        AppendEntriesRequest decoded =
                (AppendEntriesRequest) codec.decode(frame).message();
        assertEquals(m, decoded);
        // The documented contract: the decoded payload is a view of the frame, so the frame must not be reused.
        int at = new String(frame, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("command-payload");
        frame[at] = 'X';
        assertEquals("Xommand-payload", decoded.entries().get(0).payload().utf8());
    }

    @Test
    void decode_garbage_isWireFormatException() {
        WireFormatException e = assertThrows(WireFormatException.class,
                () -> codec.decode(new byte[] {(byte) 0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}));
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    }

    @Test
    void decode_empty_reportsMissingBody() {
        WireFormatException e = assertThrows(WireFormatException.class, () -> codec.decode(valid().clearBody().build().toByteArray()));
        assertTrue(e.getMessage().contains("no message body"), e.getMessage());
    }

    @Test
    void decode_wrongVersion_isRejected() {
        assertRejected(valid().setVersion(2), "unsupported wire version 2");
        assertRejected(valid().setVersion(0), "unsupported wire version 0");
    }

    @Test
    void decode_missingOrInvalidIds_areRejected() {
        assertRejected(valid().setClusterId(""), "no cluster id");
        assertRejected(valid().setClusterId("a b"), "invalid cluster id");
        assertRejected(valid().setFrom(""), "no 'from' node id");
        assertRejected(valid().setTo("x".repeat(65)), "invalid 'to' node id");
    }

    @Test
    void decode_negativeTermOrIndex_isRejected() {
        assertRejected(valid().setTerm(-1), "term 18446744073709551615 is out of range");
        assertRejected(valid().setHeartbeatRequest(
                io.flotilla.wire.internal.proto.HeartbeatRequest.newBuilder().setCommitIndex(Long.MIN_VALUE)),
                "commitIndex");
    }

    @Test
    void decode_nonConsecutiveEntries_areRejected() {
        var ae = io.flotilla.wire.internal.proto.AppendEntriesRequest.newBuilder().setPrevLogIndex(5)
                .addEntries(entry(6, 1)).addEntries(entry(8, 1));
        assertRejected(valid().setAppendEntriesRequest(ae), "entries[1] has index 8 where 7 was expected");
        var gap = io.flotilla.wire.internal.proto.AppendEntriesRequest.newBuilder().setPrevLogIndex(5)
                .addEntries(entry(5, 1));
        assertRejected(valid().setAppendEntriesRequest(gap), "entries[0] has index 5 where 6 was expected");
    }

    @Test
    void decode_unknownEntryKind_isRejected() {
        var ae = io.flotilla.wire.internal.proto.AppendEntriesRequest.newBuilder().setPrevLogIndex(0)
                .addEntries(entry(1, 1).setKind(9));
        assertRejected(valid().setAppendEntriesRequest(ae), "unknown kind 9");
        var zero = io.flotilla.wire.internal.proto.AppendEntriesRequest.newBuilder().setPrevLogIndex(0)
                .addEntries(entry(1, 1).setKind(0));
        assertRejected(valid().setAppendEntriesRequest(zero), "unknown kind 0");
    }

    @Test
    void decode_indexOverflow_isRejected() {
        var ae = io.flotilla.wire.internal.proto.AppendEntriesRequest.newBuilder().setPrevLogIndex(Long.MAX_VALUE)
                .addEntries(entry(0, 1));
        assertRejected(valid().setAppendEntriesRequest(ae), "overflow");
    }

    @Test
    void decode_tooManyEntries_isRejected() throws Exception {
        WireCodec small = new WireCodec(new WireLimits(WireLimits.MIN_MESSAGE_BYTES, 3));
        var ae = io.flotilla.wire.internal.proto.AppendEntriesRequest.newBuilder().setPrevLogIndex(0);
        for (int i = 1; i <= 4; i++) {
            ae.addEntries(entry(i, 1));
        }
        byte[] bytes = valid().setAppendEntriesRequest(ae).build().toByteArray();
        WireFormatException e = assertThrows(WireFormatException.class, () -> small.decode(bytes));
        assertTrue(e.getMessage().contains("4 entries, over the limit of 3"), e.getMessage());
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            entries.add(LogEntry.noOp(i, 1));
        }
        AppendEntriesRequest m = new AppendEntriesRequest(NodeId.of("a"), NodeId.of("b"), 1, 0, 0, entries, 0);
        assertThrows(WireFormatException.class, () -> small.encode(CLUSTER, m));
    }

    @Test
    void oversizedMessages_areRejectedBothWays() {
        WireCodec small = new WireCodec(new WireLimits(WireLimits.MIN_MESSAGE_BYTES, 10));
        AppendEntriesRequest big = new AppendEntriesRequest(NodeId.of("a"), NodeId.of("b"), 1, 0, 0,
                List.of(LogEntry.command(1, 1, Bytes.unsafeWrap(new byte[WireLimits.MIN_MESSAGE_BYTES]))), 0);
        WireFormatException e = assertThrows(WireFormatException.class, () -> small.encode(CLUSTER, big));
        assertTrue(e.getMessage().contains("over the limit of 4096"), e.getMessage());
        WireFormatException d = assertThrows(WireFormatException.class,
                () -> small.decode(new byte[WireLimits.MIN_MESSAGE_BYTES + 1]));
        assertTrue(d.getMessage().contains("exceeds the limit"), d.getMessage());
    }

    @Test
    void decode_absurdLengthPrefix_isRejected() {
        // Field 14 (append_entries_request), wire type 2, claimed length 2^31-1, then 3 bytes.
        byte[] bytes = {0x08, 0x01, (byte) 0x72, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 1, 2, 3};
        WireFormatException e = assertThrows(WireFormatException.class, () -> codec.decode(bytes));
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    }

    @Test
    void decode_snapshotWithoutMetaOrBadConfig_isRejected() {
        assertRejected(valid().setInstallSnapshotRequest(InstallSnapshotRequest.newBuilder().setOffset(0)),
                "no snapshot metadata");
        assertRejected(valid().setInstallSnapshotRequest(InstallSnapshotRequest.newBuilder()
                .setMeta(SnapshotMeta.newBuilder().setConfig(ByteString.copyFrom(new byte[] {1, 0, 0})))),
                "invalid configuration");
        assertRejected(valid().setInstallSnapshotRequest(InstallSnapshotRequest.newBuilder()
                .setMeta(SnapshotMeta.newBuilder())), "invalid configuration");
    }

    @Test
    void decode_unknownFields_areIgnoredForForwardCompatibility() throws Exception {
        byte[] base = valid().build().toByteArray();
        byte[] withExtra = new byte[base.length + 2];
        System.arraycopy(base, 0, withExtra, 0, base.length);
        withExtra[base.length] = (byte) (99 << 3); // field 99, varint
        withExtra[base.length + 1] = 5;
        assertTrue(codec.decode(withExtra).message() instanceof HeartbeatRequest);
    }

    private static Entry.Builder entry(long index, long term) {
        return Entry.newBuilder().setIndex(index).setTerm(term).setKind(1);
    }

    private static Envelope.Builder valid() {
        return Envelope.newBuilder().setVersion(1).setClusterId("c-1").setFrom("a").setTo("b").setTerm(3)
                .setHeartbeatRequest(io.flotilla.wire.internal.proto.HeartbeatRequest.newBuilder().setCommitIndex(1));
    }

    private void assertRejected(Envelope.Builder envelope, String expected) {
        WireFormatException e = assertThrows(WireFormatException.class,
                () -> codec.decode(envelope.build().toByteArray()));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
