package io.flotilla.transport.grpc.internal;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every gRPC transport in the process shares: one Netty event-loop group (server accept, server and
 * client I/O, inbound decoding and delivery, timers) and one small callback pool (client-call callbacks and the
 * per-peer writers). Reference-counted
 * per sizing: the first transport to {@link #acquire} creates them and the last to {@link #release} stops them,
 * so a closed transport leaves no threads behind. Several nodes in one JVM (tests, simulations) share the same
 * few threads instead of multiplying them.
 *
 * <p>Thread-safe.
 */
final class SharedResources {
    private static final Map<String, SharedResources> INSTANCES = new HashMap<>();
    private static final AtomicInteger GENERATION = new AtomicInteger();

    final String key;
    final EventLoopGroup eventLoopGroup;
    final ExecutorService callbackExecutor;
    private int references; // guarded by INSTANCES

    private SharedResources(String key, int ioThreads, int callbackThreads) {
        this.key = key;
        int gen = GENERATION.incrementAndGet();
        this.eventLoopGroup = new MultiThreadIoEventLoopGroup(ioThreads,
                daemonFactory("flotilla-grpc-io-" + gen + "-"), NioIoHandler.newFactory());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(callbackThreads, callbackThreads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonFactory("flotilla-grpc-cb-" + gen + "-"));
        pool.allowCoreThreadTimeOut(true);
        this.callbackExecutor = pool;
    }

    static SharedResources acquire(int ioThreads, int callbackThreads) {
        String key = ioThreads + "/" + callbackThreads;
        synchronized (INSTANCES) {
            SharedResources r = INSTANCES.computeIfAbsent(key, k -> new SharedResources(k, ioThreads, callbackThreads));
            r.references++;
            return r;
        }
    }

    /** Drops one reference; the last one stops the threads, waiting up to {@code timeoutMillis}. */
    void release(long timeoutMillis) {
        synchronized (INSTANCES) {
            if (--references > 0) {
                return;
            }
            INSTANCES.remove(key);
        }
        callbackExecutor.shutdown();
        eventLoopGroup.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(timeoutMillis + 1000);
        try {
            if (!callbackExecutor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
                callbackExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            callbackExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    static int liveInstances() {
        synchronized (INSTANCES) {
            return INSTANCES.size();
        }
    }

    private static ThreadFactory daemonFactory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
