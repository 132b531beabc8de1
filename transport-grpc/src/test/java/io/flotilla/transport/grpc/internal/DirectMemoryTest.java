package io.flotilla.transport.grpc.internal;

import static io.flotilla.transport.grpc.internal.GrpcTransportHardeningTest.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.ClusterId;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.message.AppendEntriesRequest;
import io.flotilla.message.HeartbeatResponse;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.TransportContext;
import io.flotilla.transport.grpc.GrpcTransportOptions;
import io.grpc.netty.shaded.io.netty.util.internal.PlatformDependent;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Connects and disconnects a peer 200 times (a full start, exchange of a 64 KiB append and a reply, close) and
 * checks that direct memory and live threads stay flat after a warm-up. Measured: the JDK's "direct"
 * {@code BufferPoolMXBean} (memory used by direct ByteBuffers, which is where Netty's pooled arenas live) and
 * Netty's own counter {@code PlatformDependent.usedDirectMemory()} (-1 when Netty does not count, i.e. when it
 * allocates through the JDK's cleaner-based buffers; then the JDK bean sees it). Figures are printed.
 */
class DirectMemoryTest {
    private static final ClusterId CLUSTER = ClusterId.of("mem");
    private static final int CYCLES = Integer.getInteger("grpc.memtest.cycles", 200);
    private static final int WARMUP = 20;
    private static final long TOLERANCE = 16L * 1024 * 1024; // netty pool chunks are 4 MiB; allow a few

    @Test
    void connectDisconnect200Times_directMemoryAndThreadsStayFlat() throws Exception {
        GrpcTransportOptions options = GrpcTransportOptions.newBuilder().plaintext().build();
        NodeId aId = NodeId.of("a");
        NodeId bId = NodeId.of("b");
        ConcurrentLinkedQueue<RaftMessage> inboxA = new ConcurrentLinkedQueue<>();
        GrpcTransport a = GrpcTransport.create(URI.create("grpc://127.0.0.1:0"), new TransportContext(CLUSTER, aId),
                options);
        a.start(inboxA::add);
        Bytes payload = Bytes.unsafeWrap(new byte[64 * 1024]);
        long warmDirect = 0;
        long warmNetty = 0;
        int warmThreads = 0;
        long maxDirect = 0;
        try {
            for (int i = 1; i <= CYCLES; i++) {
                ConcurrentLinkedQueue<RaftMessage> inboxB = new ConcurrentLinkedQueue<>();
                GrpcTransport b = GrpcTransport.create(URI.create("grpc://127.0.0.1:0"),
                        new TransportContext(CLUSTER, bId), options);
                b.start(inboxB::add);
                a.updatePeers(Map.of(bId, b.localAddress()));
                b.updatePeers(Map.of(aId, a.localAddress()));
                long cycle = i;
                a.send(new AppendEntriesRequest(aId, bId, 1, cycle - 1, 1, List.of(LogEntry.command(cycle, 1, payload)),
                        0));
                await("cycle " + i + " append", () -> !inboxB.isEmpty());
                b.send(new HeartbeatResponse(bId, aId, 1, cycle, cycle));
                await("cycle " + i + " reply", () -> inboxA.stream()
                        .anyMatch(m -> m instanceof HeartbeatResponse && ((HeartbeatResponse) m).readContext() == cycle));
                b.close();
                a.updatePeers(Map.of());
                maxDirect = Math.max(maxDirect, direct());
                if (i == WARMUP) {
                    System.gc();
                    warmDirect = direct();
                    warmNetty = PlatformDependent.usedDirectMemory();
                    warmThreads = Thread.activeCount();
                }
            }
            System.gc();
            long endDirect = direct();
            long endNetty = PlatformDependent.usedDirectMemory();
            int endThreads = Thread.activeCount();
            System.out.printf("DirectMemoryTest: %d cycles; JDK direct pool after %d cycles %,d B, at end %,d B,"
                    + " max %,d B; netty usedDirectMemory %,d -> %,d B; threads %d -> %d%n", CYCLES, WARMUP,
                    warmDirect, endDirect, maxDirect, warmNetty, endNetty, warmThreads, endThreads);
            assertTrue(endDirect <= warmDirect + TOLERANCE, "JDK direct memory grew from " + warmDirect + " to "
                    + endDirect + " bytes over " + (CYCLES - WARMUP) + " connect/disconnect cycles");
            if (warmNetty >= 0) {
                assertTrue(endNetty <= warmNetty + TOLERANCE, "netty direct memory grew from " + warmNetty + " to "
                        + endNetty);
            }
            assertTrue(endThreads <= warmThreads + 2, "threads grew from " + warmThreads + " to " + endThreads);
        } finally {
            a.close();
        }
    }

    /**
     * Reads the "direct" BufferPoolMXBean reflectively: the module under test does not (and should not) read
     * java.management, and core reflection needs no readability edge.
     */
    private static long direct() throws ReflectiveOperationException {
        Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
        Class<?> beanType = Class.forName("java.lang.management.BufferPoolMXBean");
        for (Object pool : (List<?>) factory.getMethod("getPlatformMXBeans", Class.class).invoke(null, beanType)) {
            if ("direct".equals(beanType.getMethod("getName").invoke(pool))) {
                return (Long) beanType.getMethod("getMemoryUsed").invoke(pool);
            }
        }
        throw new AssertionError("no 'direct' buffer pool bean");
    }
}
