package io.flotilla.bench.transport;

import io.flotilla.Bytes;
import io.flotilla.ClusterId;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.message.AppendEntriesRequest;
import io.flotilla.message.AppendEntriesResponse;
import io.flotilla.message.RaftMessage;
import io.flotilla.wire.internal.WireCodec;
import io.flotilla.wire.internal.WireFormatException;
import io.flotilla.wire.internal.WireLimits;
import io.flotilla.wire.internal.WireMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire codec of the network transports ({@code raft-wire}'s hardened {@code WireCodec}): encoding and
 * decoding an {@code AppendEntriesRequest} carrying {@code entries} 256-byte commands, and the small response
 * every follower sends back. Decoding includes every validation the transport applies to untrusted input.
 *
 * <pre>{@code java -cp <classpath> org.openjdk.jmh.Main WireCodecBenchmark}</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WireCodecBenchmark {
    /** Entries per request. */
    @Param({"1", "64"})
    public int entries;

    private final WireCodec codec = new WireCodec(WireLimits.DEFAULT);
    private final ClusterId cluster = ClusterId.of("bench");
    private RaftMessage request;
    private RaftMessage response;
    private byte[] encodedRequest;
    private byte[] encodedResponse;

    /**
     * Builds the messages.
     *
     * @throws WireFormatException never
     */
    @Setup
    public void setUp() throws WireFormatException {
        NodeId a = NodeId.of("n1");
        NodeId b = NodeId.of("n2");
        List<LogEntry> list = new ArrayList<>();
        Bytes command = Bytes.copyOf(new byte[256]);
        for (int i = 0; i < entries; i++) {
            list.add(LogEntry.command(1001 + i, 7, command));
        }
        request = new AppendEntriesRequest(a, b, 7, 1000, 7, list, 990);
        response = new AppendEntriesResponse(b, a, 7, true, 1000 + entries, 0, 0, 0, 1000 + entries);
        encodedRequest = codec.encode(cluster, request);
        encodedResponse = codec.encode(cluster, response);
    }

    /**
     * @return the encoded request
     * @throws WireFormatException never
     */
    @Benchmark
    public byte[] encodeAppendEntries() throws WireFormatException {
        return codec.encode(cluster, request);
    }

    /**
     * @return the decoded request
     * @throws WireFormatException never
     */
    @Benchmark
    public WireMessage decodeAppendEntries() throws WireFormatException {
        return codec.decode(encodedRequest);
    }

    /**
     * @return the encoded response
     * @throws WireFormatException never
     */
    @Benchmark
    public byte[] encodeResponse() throws WireFormatException {
        return codec.encode(cluster, response);
    }

    /**
     * @return the decoded response
     * @throws WireFormatException never
     */
    @Benchmark
    public WireMessage decodeResponse() throws WireFormatException {
        return codec.decode(encodedResponse);
    }
}
