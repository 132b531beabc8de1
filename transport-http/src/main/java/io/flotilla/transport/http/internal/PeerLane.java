package io.flotilla.transport.http.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
import okhttp3.ResponseBody;
import okio.BufferedSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batched, pipelined request lane to one peer: every message except snapshot chunks.
 *
 * <h2>Batching and backpressure</h2>
 * {@link #offer} appends an encoded frame to a queue bounded in messages and bytes and returns at once (a full
 * queue drops the message, counted: Raft resends what matters). Whenever fewer than {@code maxInFlight} requests
 * are outstanding, everything queued (up to {@code maxRequestBytes}) leaves as one POST to
 * {@value Frames#MESSAGES_PATH}: under load, batches grow instead of requests multiplying, and the in-flight
 * bound is the backpressure that keeps a slow peer from costing more than the queue. Requests carry
 * {@code epoch.sequence} so the receiver delivers them in order ({@link InboundSequencer}).
 *
 * <h2>Failure and reconnection</h2>
 * A request that fails (connection refused or reset, timeout, or a non-2xx status) drops what is queued, starts a
 * new epoch, and opens a backoff window (exponential with jitter, between the configured bounds) during which
 * new messages are dropped rather than piled up as stale traffic; the first message after the window makes a new
 * request, on a new connection if the old one died. OkHttp's pool reconnects by itself; the backoff only keeps a
 * dead peer from being hammered. A 2xx response resets the backoff.
 *
 * <h2>Threading</h2>
 * Thread-safe and non-blocking: the lane's state is guarded by its monitor; requests run on OkHttp's dispatcher
 * threads and their callbacks re-enter {@link #pump}.
 */
final class PeerLane {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLane.class);
    static final MediaType PROTOBUF = MediaType.get(Frames.CONTENT_TYPE);

    private final String name;
    private final OkHttpClient client;
    private final HttpUrl url;
    private final okhttp3.Headers headers;
    private final TransportStats stats;
    private final int maxMessages;
    private final long maxBytes;
    private final int maxInFlight;
    private final long maxRequestBytes;
    private final long backoffMinNanos;
    private final long backoffMaxNanos;

    // Invariant: queuedBytes == sum of the queue's frame lengths. All fields below guarded by this.
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private int inFlight;
    private long epoch = ThreadLocalRandom.current().nextLong() >>> 1;
    private long nextSequence;
    private long backoffNanos;
    private long retryAtNanos;
    private boolean outageLogged;
    private boolean closed;
    private final List<Call> calls = new ArrayList<>();

    PeerLane(String name, OkHttpClient client, HttpUrl url, okhttp3.Headers headers,
            TransportStats stats, int maxMessages, long maxBytes, int maxInFlight, long maxRequestBytes,
            long backoffMinNanos, long backoffMaxNanos) {
        this.name = name;
        this.client = client;
        this.url = url;
        this.headers = headers;
        this.stats = stats;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.maxInFlight = maxInFlight;
        this.maxRequestBytes = maxRequestBytes;
        this.backoffMinNanos = backoffMinNanos;
        this.backoffMaxNanos = backoffMaxNanos;
    }

    /** Queues a framed message; never blocks or throws. Returns false if it was dropped. */
    boolean offer(byte[] frame) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (retryAtNanos != 0 && System.nanoTime() < retryAtNanos) {
                stats.droppedRequestFailed.incrementAndGet(); // peer failing: do not pile up stale traffic
                return false;
            }
            if (queue.size() >= maxMessages || queuedBytes + frame.length > maxBytes) {
                stats.droppedQueueFull.incrementAndGet();
                return false;
            }
            queue.add(frame);
            queuedBytes += frame.length;
        }
        pump();
        return true;
    }

    /** Returns the number of queued messages and requests in flight, for tests. */
    synchronized long[] queued() {
        return new long[] {queue.size(), inFlight};
    }

    /** Drops the queue and cancels every request. Idempotent. */
    void close() {
        List<Call> toCancel;
        synchronized (this) {
            closed = true;
            queue.clear();
            queuedBytes = 0;
            toCancel = new ArrayList<>(calls);
            calls.clear();
        }
        toCancel.forEach(Call::cancel);
    }

    /** Starts as many batch requests as the in-flight bound allows. */
    private void pump() {
        while (true) {
            Batch batch;
            Call call;
            long callEpoch;
            synchronized (this) {
                if (closed || inFlight >= maxInFlight || queue.isEmpty()) {
                    return;
                }
                List<byte[]> frames = new ArrayList<>();
                long bytes = 0;
                while (!queue.isEmpty() && (frames.isEmpty() || bytes + queue.peek().length <= maxRequestBytes)) {
                    byte[] f = queue.poll();
                    frames.add(f);
                    bytes += f.length;
                }
                queuedBytes -= bytes;
                inFlight++;
                batch = new Batch(frames, bytes);
                callEpoch = epoch;
                Request request = new Request.Builder().url(url).headers(headers)
                        .header(Frames.SEQUENCE_HEADER, Long.toUnsignedString(epoch) + "." + nextSequence++)
                        .post(batch).build();
                call = client.newCall(request);
                calls.add(call);
            }
            stats.requests.incrementAndGet();
            call.enqueue(new Done(batch, callEpoch));
        }
    }

    private void succeeded(Call call, Batch batch) {
        synchronized (this) {
            calls.remove(call);
            inFlight--;
            backoffNanos = 0;
            retryAtNanos = 0;
            if (outageLogged) {
                outageLogged = false;
                LOG.info("{}: peer reachable again", name);
            }
        }
        stats.sent.addAndGet(batch.frames.size());
        pump();
    }

    private void failed(Call call, Batch batch, long callEpoch, String why, boolean refused) {
        int dropped;
        long delay;
        boolean log;
        synchronized (this) {
            calls.remove(call);
            inFlight--;
            if (closed) {
                return;
            }
            dropped = batch.frames.size() + queue.size();
            queue.clear();
            queuedBytes = 0;
            if (callEpoch == epoch) {
                // The first failure of this epoch: later requests of the epoch may fail too, back off once.
                epoch = ThreadLocalRandom.current().nextLong() >>> 1;
                nextSequence = 0;
                backoffNanos = backoffNanos == 0 ? backoffMinNanos : Math.min(backoffMaxNanos, backoffNanos * 2);
                delay = backoffNanos / 2 + ThreadLocalRandom.current().nextLong(backoffNanos / 2 + 1);
                retryAtNanos = System.nanoTime() + delay;
            } else {
                delay = Math.max(0, retryAtNanos - System.nanoTime());
            }
            log = !outageLogged || refused;
            outageLogged = true;
        }
        stats.requestsFailed.incrementAndGet();
        if (refused) {
            stats.requestsRefused.incrementAndGet();
        }
        stats.droppedRequestFailed.addAndGet(dropped);
        if (log) {
            LOG.warn("{}: request failed ({}); dropped {} messages, backing off {} ms", name, why, dropped,
                    TimeUnit.NANOSECONDS.toMillis(delay));
        } else {
            LOG.debug("{}: request failed again ({})", name, why);
        }
    }

    /** One batch request's body: the frames, written in order without copying them into one array. */
    private static final class Batch extends RequestBody {
        final List<byte[]> frames;
        final long bytes;

        Batch(List<byte[]> frames, long bytes) {
            this.frames = frames;
            this.bytes = bytes;
        }

        @Override
        public MediaType contentType() {
            return PROTOBUF;
        }

        @Override
        public long contentLength() {
            return bytes;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            for (byte[] f : frames) {
                sink.write(f);
            }
        }
    }

    private final class Done implements Callback {
        private final Batch batch;
        private final long callEpoch;

        Done(Batch batch, long callEpoch) {
            this.batch = batch;
            this.callEpoch = callEpoch;
        }

        @Override
        public void onFailure(Call call, IOException e) {
            failed(call, batch, callEpoch, e.toString(), false);
        }

        @Override
        public void onResponse(Call call, Response response) {
            try (response) {
                stats.lastProtocol = response.protocol().toString();
                if (response.isSuccessful()) {
                    succeeded(call, batch);
                } else {
                    String reason = reason(response);
                    failed(call, batch, callEpoch, response.code() + " " + reason, response.code() < 500);
                }
            } catch (RuntimeException e) {
                failed(call, batch, callEpoch, e.toString(), false);
            }
        }
    }

    /** The first line of a refusal's plain-text reason, bounded. */
    static String reason(Response response) {
        ResponseBody body = response.body();
        try {
            okio.BufferedSource source = body.source();
            source.request(512);
            String text = source.getBuffer().readUtf8(Math.min(512, source.getBuffer().size()));
            int nl = text.indexOf('\n');
            return nl < 0 ? text : text.substring(0, nl);
        } catch (IOException | RuntimeException e) {
            return "(no reason)";
        }
    }
}
