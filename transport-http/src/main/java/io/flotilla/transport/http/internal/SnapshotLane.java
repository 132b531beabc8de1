package io.flotilla.transport.http.internal;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot lane to one peer: {@code InstallSnapshotRequest} chunks streamed as one chunked upload (a POST to
 * {@value Frames#SNAPSHOT_PATH} whose body is written while the chunks are produced), on a connection of its own
 * so a multi-megabyte chunk never queues in front of, or shares a TCP window with, heartbeats
 * ({@link io.flotilla.spi.Capability#SEPARATE_SNAPSHOT_CHANNEL}).
 *
 * <h2>Memory</h2>
 * The core sends a chunk only after the previous one was acknowledged (Transport contract), and this lane holds
 * at most {@value #MAX_QUEUED_CHUNKS} chunks waiting to be written; a further chunk is dropped (the core resends
 * it). The receiver hands each chunk on as soon as its frame is complete. So neither side ever holds a snapshot,
 * only a chunk or two.
 *
 * <h2>Lifecycle of an upload</h2>
 * The first chunk opens an upload; the body stays open while chunks keep coming and ends after the chunk marked
 * {@code done}, or when no chunk arrived for {@code idleNanos} (the next chunk then opens a new upload). A failed
 * upload (connection lost, peer refused with a 4xx) drops its waiting chunks and opens a backoff window like
 * {@link PeerLane}.
 *
 * <h2>Threading</h2>
 * {@link #offer} is thread-safe and never blocks. The body is written on an OkHttp dispatcher thread, which waits
 * for the next chunk: one thread per active upload, bounded by the peers being sent a snapshot.
 */
final class SnapshotLane {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotLane.class);
    static final int MAX_QUEUED_CHUNKS = 4;
    private static final byte[] END = new byte[0];

    private final String name;
    private final OkHttpClient client;
    private final HttpUrl url;
    private final okhttp3.Headers headers;
    private final TransportStats stats;
    private final long idleNanos;
    private final long backoffMinNanos;
    private final long backoffMaxNanos;

    // Guarded by this.
    private Upload current;
    private long backoffNanos;
    private long retryAtNanos;
    private boolean closed;

    SnapshotLane(String name, OkHttpClient client, HttpUrl url, okhttp3.Headers headers, TransportStats stats,
            long idleNanos, long backoffMinNanos, long backoffMaxNanos) {
        this.name = name;
        this.client = client;
        this.url = url;
        this.headers = headers;
        this.stats = stats;
        this.idleNanos = idleNanos;
        this.backoffMinNanos = backoffMinNanos;
        this.backoffMaxNanos = backoffMaxNanos;
    }

    /** Queues a framed chunk; never blocks or throws. Returns false if it was dropped. */
    boolean offer(byte[] frame, boolean done) {
        Upload start = null;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (retryAtNanos != 0 && System.nanoTime() < retryAtNanos) {
                stats.droppedRequestFailed.incrementAndGet();
                return false;
            }
            if (current == null || current.ended) {
                current = new Upload();
                start = current;
            }
            if (current.chunks.size() >= MAX_QUEUED_CHUNKS) {
                stats.droppedQueueFull.incrementAndGet();
                return false;
            }
            current.chunks.add(frame);
            if (done) {
                current.chunks.add(END);
                current.ended = true; // the next chunk belongs to a new upload
            }
        }
        if (start != null) {
            Call call = client.newCall(new Request.Builder().url(url).headers(headers).post(start).build());
            start.call = call;
            stats.snapshotUploads.incrementAndGet();
            call.enqueue(start);
        }
        return true;
    }

    /** Ends the current upload and refuses further chunks. Idempotent. */
    void close() {
        Upload u;
        synchronized (this) {
            closed = true;
            u = current;
            current = null;
        }
        if (u != null) {
            u.chunks.clear();
            u.chunks.add(END);
            Call c = u.call;
            if (c != null) {
                c.cancel();
            }
        }
    }

    private void failed(Upload upload, String why) {
        long delay;
        synchronized (this) {
            if (current == upload) {
                current = null;
            }
            if (closed) {
                return;
            }
            backoffNanos = backoffNanos == 0 ? backoffMinNanos : Math.min(backoffMaxNanos, backoffNanos * 2);
            delay = backoffNanos / 2 + ThreadLocalRandom.current().nextLong(backoffNanos / 2 + 1);
            retryAtNanos = System.nanoTime() + delay;
        }
        int dropped = upload.chunks.size();
        upload.chunks.clear();
        stats.droppedRequestFailed.addAndGet(dropped);
        stats.requestsFailed.incrementAndGet();
        LOG.warn("{}: snapshot upload failed ({}); dropped {} chunks, backing off {} ms", name, why, dropped,
                TimeUnit.NANOSECONDS.toMillis(delay));
    }

    /** One streamed upload: the request body and the call's callback. */
    private final class Upload extends RequestBody implements Callback {
        final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        boolean ended; // guarded by SnapshotLane.this
        volatile Call call;

        @Override
        public MediaType contentType() {
            return PeerLane.PROTOBUF;
        }

        @Override
        public long contentLength() {
            return -1; // streamed: chunked transfer encoding on HTTP/1.1, DATA frames on HTTP/2
        }

        @Override
        public boolean isOneShot() {
            return true;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            while (true) {
                byte[] frame;
                try {
                    frame = chunks.poll(idleNanos, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while streaming a snapshot", e);
                }
                if (frame == null) {
                    synchronized (SnapshotLane.this) {
                        if (chunks.isEmpty()) {
                            ended = true; // idle: end this body; the next chunk opens a new upload
                            return;
                        }
                    }
                    continue;
                }
                if (frame == END) {
                    return;
                }
                sink.write(frame);
                sink.flush(); // hand the chunk to the peer now, not when a buffer fills
                stats.sent.incrementAndGet();
            }
        }

        @Override
        public void onFailure(Call call, IOException e) {
            failed(this, e.toString());
        }

        @Override
        public void onResponse(Call call, Response response) {
            try (response) {
                if (response.isSuccessful()) {
                    synchronized (SnapshotLane.this) {
                        backoffNanos = 0;
                        retryAtNanos = 0;
                        if (current == this) {
                            current = null;
                        }
                    }
                } else {
                    stats.requestsRefused.incrementAndGet();
                    failed(this, response.code() + " " + PeerLane.reason(response));
                }
            }
        }
    }
}
