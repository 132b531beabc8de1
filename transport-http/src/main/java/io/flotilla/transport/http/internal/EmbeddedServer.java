package io.flotilla.transport.http.internal;

import io.flotilla.transport.http.HttpTransportOptions;
import java.io.IOException;
import java.net.URI;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Builds and starts the embedded Jetty 12 server of one transport: one connector on the listen address that
 * speaks HTTP/1.1 and HTTP/2 (h2c by prior knowledge or upgrade on plaintext; h2 or http/1.1 chosen by ALPN over
 * TLS, with the client certificate required under mutual TLS).
 *
 * <h2>Threads</h2>
 * One bounded {@link QueuedThreadPool} ({@code serverThreads}) runs the acceptor, the selector and every handler
 * callback; connections cost a selector registration, not a thread (Jetty's NIO model). No reserved threads: the
 * handler never blocks. Its scheduler thread also runs the client's retry timers and the sequencer's gap timers.
 * Stateless.
 */
final class EmbeddedServer {
    private EmbeddedServer() {}

    /** A started server and its connector. */
    static final class Started {
        final Server server;
        final ServerConnector connector;
        final ScheduledExecutorScheduler scheduler;

        Started(Server server, ServerConnector connector, ScheduledExecutorScheduler scheduler) {
            this.server = server;
            this.connector = connector;
            this.scheduler = scheduler;
        }
    }

    /** Creates the server's scheduler (started), shared with the client side. */
    static ScheduledExecutorScheduler scheduler(String name) throws IOException {
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler(name + "-timer", true);
        try {
            scheduler.start();
        } catch (Exception e) {
            throw new IOException("cannot start the HTTP transport timer: " + e, e);
        }
        return scheduler;
    }

    /**
     * Starts a server on {@code address}.
     *
     * @throws IOException if the address cannot be bound or the server cannot start
     */
    static Started start(URI address, String name, HttpTransportOptions options, TlsMaterial tls, Handler handler,
            ScheduledExecutorScheduler scheduler) throws IOException {
        QueuedThreadPool pool = new QueuedThreadPool(options.serverThreads(), 2, 30_000);
        pool.setName(name + "-server");
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        Server server = new Server(pool, scheduler, null);
        // No graceful phase: Raft requests are idempotent and resent, and a closing node must free its port at once.
        server.setStopTimeout(0);
        pool.setStopTimeout(options.shutdownTimeout().toMillis());

        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        config.setRequestHeaderSize(8192);
        config.setResponseHeaderSize(8192);
        HttpConnectionFactory http1 = new HttpConnectionFactory(config);

        ServerConnector connector;
        if (tls == null) {
            HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(config);
            tune(h2c, options);
            connector = new ServerConnector(server, 1, 1, http1, h2c);
        } else {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false); // peers are addressed by IP; certificates are checked by the client
            config.addCustomizer(secure);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tls.context);
            ssl.setNeedClientAuth(tls.mutual);
            HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
            tune(h2, options);
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
            alpn.setDefaultProtocol("http/1.1");
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2,
                    http1);
        }
        connector.setHost(address.getHost());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(Math.max(30_000, 4 * options.pingInterval().toMillis()));
        connector.setReuseAddress(true);
        server.addConnector(connector);
        server.setHandler(handler);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        return new Started(server, connector, scheduler);
    }

    private static void tune(AbstractHTTP2ServerConnectionFactory h2, HttpTransportOptions options) {
        // Room for every peer's pipelined batches plus a snapshot upload; more streams are refused by HTTP/2.
        h2.setMaxConcurrentStreams(Math.max(16, options.maxInFlightRequests() * 4));
        // Windows large enough that a batch of a few MiB is not throttled to one round trip per 64 KiB.
        h2.setInitialSessionRecvWindow(16 * 1024 * 1024);
        h2.setInitialStreamRecvWindow(4 * 1024 * 1024);
    }
}
