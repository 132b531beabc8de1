package io.flotilla.bench.driver;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.HdrHistogram.Histogram;

/**
 * The latency floor of one replicated write on this machine, measured in the same run as the systems: one
 * {@code fdatasync} of a small write into a preallocated file ({@link FileChannel#force force(false)}) and one loopback TCP round trip of
 * a command-sized message. A commit at concurrency 1 needs at least the leader's and a follower's fsync (in
 * parallel) and one round trip.
 *
 * @param fsyncP50Millis median of append + force, ms
 * @param roundTripP50Millis median of a loopback request/response, ms
 */
record Floor(double fsyncP50Millis, double roundTripP50Millis) {
    static Floor measure(Path dir, int commandBytes, int samples) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "floor", ".bin");
        Histogram fsync = new Histogram(3);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            // Preallocated and flushed first, as a log segment is: each sample then overwrites in place, so
            // fdatasync flushes data only, without the file-size metadata an append to a growing file needs.
            ByteBuffer buf = ByteBuffer.allocate(commandBytes + 40);
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            long size = (long) samples * buf.capacity();
            for (long at = 0; at < size; at += zeros.capacity()) {
                zeros.clear();
                ch.write(zeros, at);
            }
            ch.force(true);
            ch.position(0);
            for (int i = 0; i < samples; i++) {
                buf.clear();
                long t0 = System.nanoTime();
                ch.write(buf);
                ch.force(false);
                fsync.recordValue(System.nanoTime() - t0);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        Histogram rtt = new Histogram(3);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.setTcpNoDelay(true);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    byte[] b = new byte[commandBytes];
                    for (int i = 0; i < samples; i++) {
                        in.readFully(b);
                        out.write(b, 0, 16);
                        out.flush();
                    }
                } catch (IOException e) {
                    // The measuring side reports the failure.
                }
            }, "floor-echo");
            echo.setDaemon(true);
            echo.start();
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) {
                s.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                byte[] b = new byte[commandBytes];
                byte[] r = new byte[16];
                for (int i = 0; i < samples; i++) {
                    long t0 = System.nanoTime();
                    out.write(b);
                    out.flush();
                    in.readFully(r);
                    rtt.recordValue(System.nanoTime() - t0);
                }
            }
        }
        return new Floor(fsync.getValueAtPercentile(50) / 1e6, rtt.getValueAtPercentile(50) / 1e6);
    }

    @Override
    public String toString() {
        return String.format("floor: append + fdatasync p50 %.3f ms, loopback TCP round trip p50 %.3f ms",
                fsyncP50Millis, roundTripP50Millis);
    }
}
