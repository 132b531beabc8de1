package io.flotilla.wire.internal;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
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
import io.flotilla.wire.internal.proto.Entry;
import io.flotilla.wire.internal.proto.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Encodes {@link RaftMessage}s into protobuf {@link Envelope} bytes and decodes them back, rejecting every
 * malformed or oversized input with a {@link WireFormatException}.
 *
 * <h2>Hardening</h2>
 * Decoding checks, in order: the size against {@link WireLimits#maxMessageBytes()} before parsing; protobuf
 * well-formedness (lengths that run past the end, bad varints, invalid UTF-8, nesting); the version; the
 * presence of a body (an unknown oneof case, i.e. a message kind from a newer peer, is "no body"); valid
 * cluster and node ids; every index and term {@code <= Long.MAX_VALUE}; the entry count against
 * {@link WireLimits#maxEntriesPerMessage()}; known entry kinds; entries consecutive from
 * {@code prevLogIndex + 1}; and a decodable {@link ClusterConfig} in snapshot metadata. Record constructors'
 * {@link IllegalArgumentException}s are translated too, so no unchecked exception escapes {@link #decode}.
 *
 * <h2>Threading</h2>
 * Immutable and thread-safe. Encoding wraps payload arrays without copying (they are immutable
 * {@link Bytes}); decoding copies them out of the input, which the caller may reuse afterwards.
 */
public final class WireCodec {
    /** The wire format version written into every envelope and the only one accepted. */
    public static final int VERSION = 1;

    private final WireLimits limits;

    /**
     * Creates a codec.
     *
     * @param limits the limits to enforce on both sides
     */
    public WireCodec(WireLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Returns the limits this codec enforces.
     *
     * @return the limits
     */
    public WireLimits limits() {
        return limits;
    }

    /**
     * Encodes a message.
     *
     * @param clusterId the sender's cluster, stamped on the envelope
     * @param message the message
     * @return the encoded envelope
     * @throws WireFormatException if the encoding would exceed the limits (too many entries or bytes)
     */
    public byte[] encode(ClusterId clusterId, RaftMessage message) throws WireFormatException {
        Envelope envelope = toEnvelope(clusterId, message);
        int size = envelope.getSerializedSize();
        if (size > limits.maxMessageBytes()) {
            throw new WireFormatException(message.getClass().getSimpleName() + " from " + message.from() + " to "
                    + message.to() + " encodes to " + size + " bytes, over the limit of " + limits.maxMessageBytes());
        }
        return envelope.toByteArray();
    }

    /**
     * Builds the protobuf envelope of a message, without checking limits other than the entry count.
     *
     * @param clusterId the sender's cluster
     * @param message the message
     * @return the envelope
     * @throws WireFormatException if the message carries more entries than allowed
     */
    public Envelope toEnvelope(ClusterId clusterId, RaftMessage message) throws WireFormatException {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(message, "message");
        Envelope.Builder b = Envelope.newBuilder()
                .setVersion(VERSION)
                .setClusterId(clusterId.value())
                .setFrom(message.from().value())
                .setTo(message.to().value())
                .setTerm(message.term());
        if (message instanceof PreVoteRequest) {
            PreVoteRequest m = (PreVoteRequest) message;
            b.setPreVoteRequest(io.flotilla.wire.internal.proto.PreVoteRequest.newBuilder()
                    .setLastLogIndex(m.lastLogIndex()).setLastLogTerm(m.lastLogTerm()));
        } else if (message instanceof PreVoteResponse) {
            b.setPreVoteResponse(io.flotilla.wire.internal.proto.PreVoteResponse.newBuilder()
                    .setGranted(((PreVoteResponse) message).granted()));
        } else if (message instanceof VoteRequest) {
            VoteRequest m = (VoteRequest) message;
            b.setVoteRequest(io.flotilla.wire.internal.proto.VoteRequest.newBuilder()
                    .setLastLogIndex(m.lastLogIndex()).setLastLogTerm(m.lastLogTerm())
                    .setLeadershipTransfer(m.leadershipTransfer()));
        } else if (message instanceof VoteResponse) {
            b.setVoteResponse(io.flotilla.wire.internal.proto.VoteResponse.newBuilder()
                    .setGranted(((VoteResponse) message).granted()));
        } else if (message instanceof AppendEntriesRequest) {
            AppendEntriesRequest m = (AppendEntriesRequest) message;
            if (m.entries().size() > limits.maxEntriesPerMessage()) {
                throw new WireFormatException("AppendEntriesRequest carries " + m.entries().size()
                        + " entries, over the limit of " + limits.maxEntriesPerMessage());
            }
            io.flotilla.wire.internal.proto.AppendEntriesRequest.Builder ab =
                    io.flotilla.wire.internal.proto.AppendEntriesRequest.newBuilder()
                            .setPrevLogIndex(m.prevLogIndex()).setPrevLogTerm(m.prevLogTerm())
                            .setLeaderCommit(m.leaderCommit());
            for (LogEntry e : m.entries()) {
                ab.addEntries(Entry.newBuilder().setIndex(e.index()).setTerm(e.term())
                        .setKind(e.kind().code()).setPayload(wrap(e.payload())));
            }
            b.setAppendEntriesRequest(ab);
        } else if (message instanceof AppendEntriesResponse) {
            AppendEntriesResponse m = (AppendEntriesResponse) message;
            b.setAppendEntriesResponse(io.flotilla.wire.internal.proto.AppendEntriesResponse.newBuilder()
                    .setSuccess(m.success()).setMatchIndex(m.matchIndex()).setRejectedIndex(m.rejectedIndex())
                    .setConflictTerm(m.conflictTerm()).setConflictIndex(m.conflictIndex())
                    .setLastLogIndex(m.lastLogIndex()));
        } else if (message instanceof HeartbeatRequest) {
            HeartbeatRequest m = (HeartbeatRequest) message;
            b.setHeartbeatRequest(io.flotilla.wire.internal.proto.HeartbeatRequest.newBuilder()
                    .setCommitIndex(m.commitIndex()).setReadContext(m.readContext()));
        } else if (message instanceof HeartbeatResponse) {
            HeartbeatResponse m = (HeartbeatResponse) message;
            b.setHeartbeatResponse(io.flotilla.wire.internal.proto.HeartbeatResponse.newBuilder()
                    .setReadContext(m.readContext()).setLastLogIndex(m.lastLogIndex()));
        } else if (message instanceof InstallSnapshotRequest) {
            InstallSnapshotRequest m = (InstallSnapshotRequest) message;
            b.setInstallSnapshotRequest(io.flotilla.wire.internal.proto.InstallSnapshotRequest.newBuilder()
                    .setMeta(io.flotilla.wire.internal.proto.SnapshotMeta.newBuilder()
                            .setLastIncludedIndex(m.meta().lastIncludedIndex())
                            .setLastIncludedTerm(m.meta().lastIncludedTerm())
                            .setConfig(wrap(m.meta().config().toBytes())))
                    .setOffset(m.offset()).setData(wrap(m.data())).setChunkCrc32C(m.chunkCrc32c())
                    .setDone(m.done()).setSnapshotCrc32C(m.snapshotCrc32c()));
        } else if (message instanceof InstallSnapshotResponse) {
            InstallSnapshotResponse m = (InstallSnapshotResponse) message;
            b.setInstallSnapshotResponse(io.flotilla.wire.internal.proto.InstallSnapshotResponse.newBuilder()
                    .setLastIncludedIndex(m.lastIncludedIndex()).setNextOffset(m.nextOffset())
                    .setAccepted(m.accepted()).setInstalled(m.installed()));
        } else if (message instanceof TimeoutNow) {
            b.setTimeoutNow(io.flotilla.wire.internal.proto.TimeoutNow.getDefaultInstance());
        } else if (message instanceof ReadIndexRequest) {
            b.setReadIndexRequest(io.flotilla.wire.internal.proto.ReadIndexRequest.newBuilder()
                    .setRequestId(((ReadIndexRequest) message).requestId()));
        } else if (message instanceof ReadIndexResponse) {
            ReadIndexResponse m = (ReadIndexResponse) message;
            b.setReadIndexResponse(io.flotilla.wire.internal.proto.ReadIndexResponse.newBuilder()
                    .setRequestId(m.requestId()).setSuccess(m.success()).setReadIndex(m.readIndex()));
        } else {
            // Unreachable while RaftMessage is sealed and every permitted subclass is listed above (tested).
            throw new AssertionError("unhandled message type " + message.getClass().getName());
        }
        return b.build();
    }

    /**
     * Decodes one envelope.
     *
     * @param bytes the encoded envelope, as received; payloads of the returned message share this array (no copy),
     *     so the caller must never modify it afterwards
     * @return the cluster id and the message
     * @throws WireFormatException if the bytes are not a valid envelope within the limits
     */
    public WireMessage decode(byte[] bytes) throws WireFormatException {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > limits.maxMessageBytes()) {
            throw new WireFormatException("message of " + bytes.length + " bytes exceeds the limit of "
                    + limits.maxMessageBytes());
        }
        Envelope envelope;
        try {
            // Aliasing: payload ByteStrings are views of the received array, and copy() wraps them without a copy.
            // (protobuf aliases only input it is told is immutable, hence the unsafe wrap.)
            CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
            in.enableAliasing(true);
            envelope = Envelope.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (java.io.IOException e) { // InvalidProtocolBufferException; nothing else reads from a byte array
            throw new WireFormatException("malformed protobuf envelope: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Defensive: protobuf documents only InvalidProtocolBufferException, but untrusted input must never
            // surface as an unchecked exception in a transport thread.
            throw new WireFormatException("malformed protobuf envelope: " + e, e);
        }
        return fromEnvelope(envelope);
    }

    /**
     * Validates and converts a parsed envelope.
     *
     * @param envelope the parsed envelope
     * @return the cluster id and the message
     * @throws WireFormatException if the envelope is invalid
     */
    public WireMessage fromEnvelope(Envelope envelope) throws WireFormatException {
        if (envelope.getVersion() != VERSION) {
            throw new WireFormatException("unsupported wire version " + Integer.toUnsignedString(envelope.getVersion())
                    + " (this node speaks version " + VERSION + ")");
        }
        ClusterId clusterId = clusterId(envelope.getClusterId());
        NodeId from = nodeId("from", envelope.getFrom());
        NodeId to = nodeId("to", envelope.getTo());
        long term = nonNegative("term", envelope.getTerm());
        try {
            return new WireMessage(clusterId, body(envelope, from, to, term));
        } catch (IllegalArgumentException | NullPointerException e) {
            // Record invariants not covered by the explicit checks below; kept as a safety net.
            throw new WireFormatException("invalid " + envelope.getBodyCase() + " from " + from + ": "
                    + e.getMessage(), e);
        }
    }

    private RaftMessage body(Envelope e, NodeId from, NodeId to, long term) throws WireFormatException {
        switch (e.getBodyCase()) {
            case PRE_VOTE_REQUEST: {
                var m = e.getPreVoteRequest();
                return new PreVoteRequest(from, to, term, nonNegative("lastLogIndex", m.getLastLogIndex()),
                        nonNegative("lastLogTerm", m.getLastLogTerm()));
            }
            case PRE_VOTE_RESPONSE:
                return new PreVoteResponse(from, to, term, e.getPreVoteResponse().getGranted());
            case VOTE_REQUEST: {
                var m = e.getVoteRequest();
                return new VoteRequest(from, to, term, nonNegative("lastLogIndex", m.getLastLogIndex()),
                        nonNegative("lastLogTerm", m.getLastLogTerm()), m.getLeadershipTransfer());
            }
            case VOTE_RESPONSE:
                return new VoteResponse(from, to, term, e.getVoteResponse().getGranted());
            case APPEND_ENTRIES_REQUEST:
                return appendEntries(e.getAppendEntriesRequest(), from, to, term);
            case APPEND_ENTRIES_RESPONSE: {
                var m = e.getAppendEntriesResponse();
                return new AppendEntriesResponse(from, to, term, m.getSuccess(),
                        nonNegative("matchIndex", m.getMatchIndex()),
                        nonNegative("rejectedIndex", m.getRejectedIndex()),
                        nonNegative("conflictTerm", m.getConflictTerm()),
                        nonNegative("conflictIndex", m.getConflictIndex()),
                        nonNegative("lastLogIndex", m.getLastLogIndex()));
            }
            case HEARTBEAT_REQUEST: {
                var m = e.getHeartbeatRequest();
                return new HeartbeatRequest(from, to, term, nonNegative("commitIndex", m.getCommitIndex()),
                        nonNegative("readContext", m.getReadContext()));
            }
            case HEARTBEAT_RESPONSE: {
                var m = e.getHeartbeatResponse();
                return new HeartbeatResponse(from, to, term, nonNegative("readContext", m.getReadContext()),
                        nonNegative("lastLogIndex", m.getLastLogIndex()));
            }
            case INSTALL_SNAPSHOT_REQUEST:
                return installSnapshot(e.getInstallSnapshotRequest(), from, to, term);
            case INSTALL_SNAPSHOT_RESPONSE: {
                var m = e.getInstallSnapshotResponse();
                return new InstallSnapshotResponse(from, to, term,
                        nonNegative("lastIncludedIndex", m.getLastIncludedIndex()),
                        nonNegative("nextOffset", m.getNextOffset()), m.getAccepted(), m.getInstalled());
            }
            case TIMEOUT_NOW:
                return new TimeoutNow(from, to, term);
            case READ_INDEX_REQUEST:
                return new ReadIndexRequest(from, to, term, e.getReadIndexRequest().getRequestId());
            case READ_INDEX_RESPONSE: {
                var m = e.getReadIndexResponse();
                return new ReadIndexResponse(from, to, term, m.getRequestId(), m.getSuccess(),
                        nonNegative("readIndex", m.getReadIndex()));
            }
            case BODY_NOT_SET:
            default:
                throw new WireFormatException("envelope from " + from + " has no message body"
                        + " (missing, or a message kind this node does not know)");
        }
    }

    private AppendEntriesRequest appendEntries(
            io.flotilla.wire.internal.proto.AppendEntriesRequest m, NodeId from, NodeId to, long term)
            throws WireFormatException {
        long prevLogIndex = nonNegative("prevLogIndex", m.getPrevLogIndex());
        long prevLogTerm = nonNegative("prevLogTerm", m.getPrevLogTerm());
        long leaderCommit = nonNegative("leaderCommit", m.getLeaderCommit());
        int count = m.getEntriesCount();
        if (count > limits.maxEntriesPerMessage()) {
            throw new WireFormatException("AppendEntriesRequest carries " + count + " entries, over the limit of "
                    + limits.maxEntriesPerMessage());
        }
        if (count > 0 && prevLogIndex > Long.MAX_VALUE - count) {
            throw new WireFormatException("entry indices overflow: prevLogIndex " + prevLogIndex + " + " + count);
        }
        List<LogEntry> entries = new ArrayList<>(count);
        long expected = prevLogIndex + 1;
        for (int i = 0; i < count; i++) {
            Entry p = m.getEntries(i);
            long index = nonNegative("entries[" + i + "].index", p.getIndex());
            if (index != expected) {
                throw new WireFormatException("entries are not consecutive: entries[" + i + "] has index " + index
                        + " where " + expected + " was expected (prevLogIndex " + prevLogIndex + ")");
            }
            long entryTerm = nonNegative("entries[" + i + "].term", p.getTerm());
            entries.add(new LogEntry(index, entryTerm, kind(i, p.getKind()), copy(p.getPayload())));
            expected++;
        }
        return new AppendEntriesRequest(from, to, term, prevLogIndex, prevLogTerm, entries, leaderCommit);
    }

    private static InstallSnapshotRequest installSnapshot(
            io.flotilla.wire.internal.proto.InstallSnapshotRequest m, NodeId from, NodeId to, long term)
            throws WireFormatException {
        if (!m.hasMeta()) {
            throw new WireFormatException("InstallSnapshotRequest from " + from + " has no snapshot metadata");
        }
        var pm = m.getMeta();
        ClusterConfig config;
        try {
            config = ClusterConfig.fromBytes(copy(pm.getConfig()));
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("InstallSnapshotRequest from " + from + " has an invalid configuration: "
                    + e.getMessage(), e);
        }
        SnapshotMeta meta = new SnapshotMeta(nonNegative("meta.lastIncludedIndex", pm.getLastIncludedIndex()),
                nonNegative("meta.lastIncludedTerm", pm.getLastIncludedTerm()), config);
        return new InstallSnapshotRequest(from, to, term, meta, nonNegative("offset", m.getOffset()),
                copy(m.getData()), m.getChunkCrc32C(), m.getDone(), m.getSnapshotCrc32C());
    }

    private static EntryKind kind(int i, int code) throws WireFormatException {
        switch (code) {
            case 1:
                return EntryKind.COMMAND;
            case 2:
                return EntryKind.CONFIGURATION;
            case 3:
                return EntryKind.NO_OP;
            default:
                throw new WireFormatException("entries[" + i + "] has unknown kind " + Integer.toUnsignedString(code));
        }
    }

    private static long nonNegative(String field, long value) throws WireFormatException {
        if (value < 0) {
            throw new WireFormatException(field + " " + Long.toUnsignedString(value) + " is out of range"
                    + " (must be <= " + Long.MAX_VALUE + ")");
        }
        return value;
    }

    private static ClusterId clusterId(String text) throws WireFormatException {
        if (text.isEmpty()) {
            throw new WireFormatException("envelope has no cluster id");
        }
        try {
            return ClusterId.of(text);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("envelope has an invalid cluster id: " + e.getMessage(), e);
        }
    }

    private static NodeId nodeId(String field, String text) throws WireFormatException {
        if (text.isEmpty()) {
            throw new WireFormatException("envelope has no '" + field + "' node id");
        }
        try {
            return NodeId.of(text);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("envelope has an invalid '" + field + "' node id: " + e.getMessage(), e);
        }
    }

    private static ByteString wrap(Bytes bytes) {
        return bytes.isEmpty() ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(bytes.asReadOnlyByteBuffer());
    }

    /** Wraps a payload without copying when it is one contiguous array (always, for an aliased decode). */
    private static Bytes copy(ByteString bytes) {
        if (bytes.isEmpty()) {
            return Bytes.EMPTY;
        }
        ArrayCapture capture = new ArrayCapture();
        try {
            UnsafeByteOperations.unsafeWriteTo(bytes, capture);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // ArrayCapture never throws
        }
        return capture.single != null ? capture.single : Bytes.unsafeWrap(bytes.toByteArray());
    }

    /** Receives a ByteString's backing array; remembers it only if the string is exactly one piece. */
    private static final class ArrayCapture extends ByteOutput {
        Bytes single;
        int pieces;

        @Override
        public void write(byte value) {
            pieces += 2; // not one array: fall back to a copy
            single = null;
        }

        @Override
        public void write(byte[] value, int offset, int length) {
            writeLazy(value, offset, length);
        }

        @Override
        public void writeLazy(byte[] value, int offset, int length) {
            single = ++pieces == 1 ? Bytes.unsafeWrap(value, offset, length) : null;
        }

        @Override
        public void write(java.nio.ByteBuffer value) {
            pieces += 2;
            single = null;
        }

        @Override
        public void writeLazy(java.nio.ByteBuffer value) {
            write(value);
        }
    }
}
