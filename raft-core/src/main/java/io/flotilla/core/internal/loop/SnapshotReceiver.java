package io.flotilla.core.internal.loop;

import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import io.flotilla.message.InstallSnapshotRequest;
import io.flotilla.message.InstallSnapshotResponse;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.SnapshotWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower's side of InstallSnapshot (§7, Figure 13): checks each chunk's CRC32C and offset, writes it to a new
 * snapshot part on the snapshot thread (never holding the snapshot in memory) and acknowledges it once written; on
 * the last chunk checks the whole stream's CRC32C, commits the part durably and hands it to the protocol, then
 * answers {@code installed}. Restoring the state machine happens afterwards on the apply thread, so a slow restore
 * never makes the leader resend.
 *
 * <p>The leader's whole chain is stored as one FULL part (see {@code SnapshotFormat}), so a crash at any point
 * leaves either the previous snapshot or the complete new one. A chunk at an unexpected offset is answered with
 * the offset needed (resume); a transfer from another leader or term replaces the current one from offset 0.
 * A bad chunk or stream checksum is rejected and nothing of it is kept.
 *
 * <p><b>Threading:</b> {@link #onChunk} and {@link #abort} run on the event loop; writes on the snapshot executor.
 */
final class SnapshotReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotReceiver.class);

    private final NodeId self;
    private final SnapshotStore store;
    private final Executor snapshotExecutor;
    private final SnapshotHost host;
    private final BiConsumer<SnapshotMeta, Boolean> installed;
    private Reception current;

    /**
     * @param installed told (on the loop) when a received snapshot is committed, and whether it was installed into
     *     the log (false: the log had moved past it)
     */
    SnapshotReceiver(NodeId self, SnapshotStore store, Executor snapshotExecutor, SnapshotHost host,
            BiConsumer<SnapshotMeta, Boolean> installed) {
        this.self = self;
        this.store = store;
        this.snapshotExecutor = snapshotExecutor;
        this.host = host;
        this.installed = installed;
    }

    /** One snapshot being received. Fields marked (snapshot) are confined to the snapshot thread. */
    private static final class Reception {
        final NodeId leader;
        final long term;
        final SnapshotMeta meta;
        long expectedOffset;
        boolean complete;
        volatile boolean aborted;
        SnapshotWriter writer; // (snapshot)
        OutputStream out; // (snapshot)
        final CRC32C crc = new CRC32C(); // (snapshot)

        Reception(NodeId leader, long term, SnapshotMeta meta) {
            this.leader = leader;
            this.term = term;
            this.meta = meta;
        }

        boolean sameTransfer(InstallSnapshotRequest m) {
            return leader.equals(m.from()) && term == m.term() && meta.equals(m.meta());
        }
    }

    /** A chunk the protocol accepted from the current leader. */
    void onChunk(InstallSnapshotRequest m) {
        Reception r = current;
        if (r == null || !r.sameTransfer(m)) {
            if (m.offset() != 0) {
                reply(m, m.term(), 0, false); // not the start of a transfer we know: start over
                return;
            }
            abort();
            r = new Reception(m.from(), m.term(), m.meta());
            current = r;
        }
        if (r.complete) {
            return; // the last chunk is being committed; "installed" follows
        }
        if (m.offset() != r.expectedOffset) {
            reply(m, r.term, r.expectedOffset, false); // duplicate or gap: resume where we are
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(m.data().asReadOnlyByteBuffer());
        if ((int) crc.getValue() != m.chunkCrc32c()) {
            LOG.warn("node {}: snapshot chunk at offset {} from {} has a bad checksum; asking for it again", self,
                    m.offset(), m.from());
            reply(m, r.term, r.expectedOffset, false);
            return;
        }
        r.expectedOffset += m.data().size();
        r.complete = m.done();
        Reception rr = r;
        try {
            snapshotExecutor.execute(() -> write(rr, m));
        } catch (RejectedExecutionException e) {
            abort();
        }
    }

    /** Drops the transfer in progress (a new one replaces it, or the node stops). */
    void abort() {
        Reception r = current;
        current = null;
        if (r != null) {
            r.aborted = true;
            try {
                snapshotExecutor.execute(() -> discard(r));
            } catch (RejectedExecutionException e) {
                // shutting down: the uncommitted part is discarded by the store on reopen
            }
        }
    }

    /** Snapshot thread. */
    private void write(Reception r, InstallSnapshotRequest m) {
        if (r.aborted) {
            return;
        }
        try {
            if (r.writer == null) {
                r.writer = store.create(r.meta, SnapshotKind.FULL);
                r.out = new BufferedOutputStream(r.writer.output(), 64 << 10);
            }
            m.data().writeTo(r.out);
            r.crc.update(m.data().asReadOnlyByteBuffer());
            long next = m.offset() + m.data().size();
            if (!m.done()) {
                reply(m, r.term, next, true);
                return;
            }
            if ((int) r.crc.getValue() != m.snapshotCrc32c()) {
                LOG.warn("node {}: the snapshot at {} from {} has a bad whole-stream checksum; discarded", self,
                        r.meta.lastIncludedIndex(), m.from());
                discard(r);
                host.post(() -> {
                    if (current == r) {
                        current = null;
                    }
                });
                reply(m, r.term, 0, false);
                return;
            }
            r.out.flush();
            r.writer.commit();
            r.writer.close();
            host.post(() -> committed(r, m, next));
        } catch (IOException | RuntimeException e) {
            if (host.failIfFatal("writing a snapshot received from " + m.from(), e)) {
                return;
            }
            LOG.warn("node {}: writing the snapshot at {} from {} failed; the previous snapshot stays", self,
                    r.meta.lastIncludedIndex(), m.from(), e);
            discard(r);
            host.post(() -> {
                if (current == r) {
                    current = null;
                }
            });
            reply(m, r.term, 0, false);
        }
    }

    /** Loop: the snapshot is durable; install it into the log and tell the leader. */
    private void committed(Reception r, InstallSnapshotRequest m, long size) {
        if (current == r) {
            current = null;
        }
        boolean took = host.protocol().snapshotReceived(r.meta);
        if (took) {
            LOG.info("node {}: installed the snapshot at {} (term {}) from {}", self, r.meta.lastIncludedIndex(),
                    r.meta.lastIncludedTerm(), m.from());
        }
        installed.accept(r.meta, took);
        host.send(new InstallSnapshotResponse(self, m.from(), host.protocol().term(), r.meta.lastIncludedIndex(),
                size, true, true));
    }

    private void discard(Reception r) {
        SnapshotWriter w = r.writer;
        r.writer = null;
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                LOG.debug("discarding a partial snapshot failed", e);
            }
        }
    }

    private void reply(InstallSnapshotRequest m, long term, long nextOffset, boolean accepted) {
        host.send(new InstallSnapshotResponse(self, m.from(), term, m.meta().lastIncludedIndex(), nextOffset,
                accepted, false));
    }
}
