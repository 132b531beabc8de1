package io.flotilla.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Picks loopback ports for transport tests that must restart a listener at the <em>same</em> address, as
 * {@link TransportContract#peerRestart_atTheSameAddress_isReconnected()} does.
 *
 * <p>Port 0 hands out a port from the kernel's ephemeral range, which every outgoing connection on the machine
 * also draws its source port from. Between closing a listener and binding it again, that port can be taken by
 * any client socket — including the test's own transport reconnecting to it, which on Linux can even connect
 * to itself — and the rebind fails with "Address already in use". A port below the ephemeral range is never
 * handed out as a source port, so a restart there is reliable.
 *
 * <p><b>Threading:</b> thread-safe. <b>Failure:</b> throws {@link IOException} when no free port is found.
 */
public final class TestPorts {
    private static final SplittableRandom RANDOM = new SplittableRandom();

    private TestPorts() {}

    /**
     * Returns a currently free TCP port on 127.0.0.1 below the ephemeral range (on Linux, below
     * {@code /proc/sys/net/ipv4/ip_local_port_range}'s lower bound; elsewhere below 32768), at or above 10000.
     *
     * @return a free port
     * @throws IOException if none of a few hundred candidates is free
     */
    public static int freeStablePort() throws IOException {
        int upper = ephemeralLowerBound();
        int lower = Math.min(10_000, upper - 1_000);
        for (int attempt = 0; attempt < 500; attempt++) {
            int port;
            synchronized (RANDOM) {
                port = lower + RANDOM.nextInt(upper - lower);
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free loopback port found in [" + lower + ", " + upper + ")");
    }

    private static int ephemeralLowerBound() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > 11_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
