package io.flotilla.core.internal.loop;

import io.flotilla.Bytes;
import io.flotilla.NodeId;
import io.flotilla.SnapshotConfig;
import io.flotilla.SnapshotMeta;
import io.flotilla.core.internal.snapshot.ChainEncoder;
import io.flotilla.core.internal.snapshot.LogicalChain;
import io.flotilla.message.InstallSnapshotRequest;
import io.flotilla.message.InstallSnapshotResponse;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotStore;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of InstallSnapshot (§7, Figure 13): streams its latest snapshot chain to a follower in chunks
 * of {@link SnapshotConfig#chunkBytes()}, each with a CRC32C and the last with the whole stream's, at most
 * {@link SnapshotConfig#maxInflightChunks()} ahead of the follower's acknowledgement and, if configured, no faster
 * than {@link SnapshotConfig#installRateBytesPerSecond()}. Chunks are read on the snapshot thread one at a time, so
 * memory stays bounded by the window whatever the snapshot's size, and the event loop (heartbeats) never waits.
 *
 * <p>A follower that rejects a chunk (bad checksum, unexpected offset) names the offset it needs, and the transfer
 * resumes there. If the follower goes quiet the transfer resumes from its last acknowledged offset, a few times,
 * then gives up and tells the protocol, which probes the follower again. A new leader starts over from offset 0
 * (transfers belong to one term).
 *
 * <p><b>Threading:</b> methods run on the event loop; chunk reads on the snapshot executor.
 */
final class SnapshotSender {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSender.class);
    private static final int MAX_RESUMES = 5;

    private final NodeId self;
    private final SnapshotConfig cfg;
    private final SnapshotStore store;
    private final Executor snapshotExecutor;
    private final SnapshotHost host;
    private final NodeRuntime runtime;
    private final int idleTicksLimit;
    private final Map<NodeId, Transfer> transfers = new HashMap<>();

    SnapshotSender(NodeId self, SnapshotConfig cfg, SnapshotStore store, NodeRuntime runtime, SnapshotHost host,
            int electionTicks) {
        this.self = self;
        this.cfg = cfg;
        this.store = store;
        this.runtime = runtime;
        this.snapshotExecutor = runtime.snapshotExecutor();
        this.host = host;
        this.idleTicksLimit = 4 * electionTicks;
    }

    /** One transfer to one follower in one term. Fields marked (snapshot) are confined to the snapshot thread. */
    private static final class Transfer {
        final NodeId peer;
        final long term;
        int generation;
        SnapshotMeta meta;
        long sentOffset;
        long ackedOffset;
        boolean reading;
        boolean lastSent;
        boolean closed;
        int idleTicks;
        int resumes;
        long nextSendNanos;
        LogicalChain chain; // (snapshot)
        ChainEncoder encoder; // (snapshot)
        CRC32C crc; // (snapshot)

        Transfer(NodeId peer, long term) {
            this.peer = peer;
            this.term = term;
        }
    }

    /** @return how many transfers run (for tests and status) */
    int activeTransfers() {
        return transfers.size();
    }

    /** Starts streaming the latest snapshot to each target, unless a transfer to it in this term runs. */
    void start(List<NodeId> targets, long term) {
        for (NodeId peer : targets) {
            Transfer t = transfers.get(peer);
            if (t != null && t.term == term) {
                continue;
            }
            if (t != null) {
                close(t);
            }
            t = new Transfer(peer, term);
            t.nextSendNanos = runtime.nanoTime();
            transfers.put(peer, t);
            LOG.info("node {}: sending the latest snapshot to {} (it needs compacted entries, §7)", self, peer);
            pump(t);
        }
    }

    /** Leadership was lost or the term changed: every transfer stops. */
    void cancelAll() {
        for (Transfer t : transfers.values()) {
            close(t);
        }
        transfers.clear();
    }

    /** A follower's answer to a chunk. */
    void onResponse(InstallSnapshotResponse r) {
        Transfer t = transfers.get(r.from());
        if (t == null || r.term() != t.term || t.meta == null || r.lastIncludedIndex() != t.meta.lastIncludedIndex()) {
            return;
        }
        t.idleTicks = 0;
        if (r.installed()) {
            LOG.info("node {}: {} installed the snapshot at {}", self, t.peer, t.meta.lastIncludedIndex());
            transfers.remove(t.peer);
            close(t);
        } else if (r.accepted()) {
            t.ackedOffset = Math.max(t.ackedOffset, r.nextOffset());
            pump(t);
        } else {
            rewind(t, r.nextOffset());
        }
    }

    /** Timeouts and the throttle. */
    void onTick() {
        for (Transfer t : List.copyOf(transfers.values())) {
            if (++t.idleTicks < idleTicksLimit) {
                pump(t);
                continue;
            }
            t.idleTicks = 0;
            if (++t.resumes > MAX_RESUMES) {
                abandon(t, "no answer from the follower");
            } else {
                rewind(t, t.ackedOffset);
            }
        }
    }

    private void rewind(Transfer t, long offset) {
        t.generation++;
        t.reading = false;
        t.lastSent = false;
        t.sentOffset = offset;
        t.ackedOffset = offset;
        pump(t);
    }

    private void abandon(Transfer t, String why) {
        LOG.warn("node {}: snapshot transfer to {} abandoned: {}", self, t.peer, why);
        transfers.remove(t.peer);
        close(t);
        host.protocol().reportSnapshot(t.peer);
    }

    private void pump(Transfer t) {
        if (t.closed || t.reading || t.lastSent) {
            return;
        }
        long window = (long) cfg.maxInflightChunks() * cfg.chunkBytes();
        if (t.sentOffset - t.ackedOffset >= window) {
            return;
        }
        if (cfg.installRateBytesPerSecond() > 0 && runtime.nanoTime() - t.nextSendNanos < 0) {
            return; // throttled: the next tick tries again
        }
        t.reading = true;
        int generation = t.generation;
        long offset = t.sentOffset;
        try {
            snapshotExecutor.execute(() -> read(t, generation, offset));
        } catch (RejectedExecutionException e) {
            t.reading = false;
        }
    }

    /** Snapshot thread: read the chunk at {@code offset}. */
    private void read(Transfer t, int generation, long offset) {
        if (t.closed) {
            return;
        }
        try {
            if (t.chain == null) {
                Optional<SnapshotReader> latest = store.openLatest();
                if (latest.isEmpty()) {
                    host.post(() -> abandon(t, "no snapshot in the store"));
                    return;
                }
                t.chain = LogicalChain.open(latest.get());
            }
            if (t.encoder == null || t.encoder.position() != offset) {
                if (t.encoder != null) {
                    t.encoder.close();
                }
                t.encoder = new ChainEncoder(t.chain.parts());
                t.crc = new CRC32C();
                byte[] skip = new byte[64 << 10];
                long left = offset;
                while (left > 0) {
                    int n = t.encoder.read(skip, 0, (int) Math.min(skip.length, left));
                    if (n < 0) {
                        break;
                    }
                    t.crc.update(skip, 0, n);
                    left -= n;
                }
            }
            byte[] buf = t.encoder.readNBytes(cfg.chunkBytes());
            t.crc.update(buf, 0, buf.length);
            boolean done = t.encoder.atEnd();
            CRC32C chunkCrc = new CRC32C();
            chunkCrc.update(buf, 0, buf.length);
            int total = done ? (int) t.crc.getValue() : 0;
            SnapshotMeta meta = t.chain.meta();
            Bytes data = Bytes.unsafeWrap(buf);
            int crc = (int) chunkCrc.getValue();
            host.post(() -> chunkRead(t, generation, meta, offset, data, crc, done, total));
        } catch (IOException | RuntimeException e) {
            host.post(() -> abandon(t, "reading the local snapshot failed: " + e));
        }
    }

    /** Loop: send a chunk that was read, if the transfer still wants it. */
    private void chunkRead(Transfer t, int generation, SnapshotMeta meta, long offset, Bytes data, int crc,
            boolean done, int total) {
        if (t.closed || generation != t.generation || transfers.get(t.peer) != t) {
            return;
        }
        t.reading = false;
        t.meta = meta;
        host.send(new InstallSnapshotRequest(self, t.peer, t.term, meta, offset, data, crc, done, total));
        t.sentOffset = offset + data.size();
        t.lastSent = done;
        if (cfg.installRateBytesPerSecond() > 0) {
            long now = runtime.nanoTime();
            long base = now - t.nextSendNanos > 0 ? now : t.nextSendNanos;
            t.nextSendNanos = base + data.size() * 1_000_000_000L / cfg.installRateBytesPerSecond();
        }
        pump(t);
    }

    private void close(Transfer t) {
        t.closed = true;
        try {
            snapshotExecutor.execute(() -> {
                try {
                    if (t.encoder != null) {
                        t.encoder.close();
                    }
                    if (t.chain != null) {
                        t.chain.close();
                    }
                } catch (IOException e) {
                    LOG.debug("closing a snapshot transfer failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }
}
