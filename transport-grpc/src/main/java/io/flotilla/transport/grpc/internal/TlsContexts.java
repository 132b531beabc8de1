package io.flotilla.transport.grpc.internal;

import io.flotilla.transport.grpc.GrpcTransportOptions;
import io.flotilla.transport.grpc.GrpcTransportOptions.Security;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;

/**
 * Builds the server and client TLS contexts from {@link GrpcTransportOptions.Tls}: PEM chain + PKCS#8 key, or a
 * PKCS#12 key store; PEM trust certificates. Under mutual TLS the server requires a client certificate signed by
 * a trusted CA and the client presents the node's own identity. Stateless.
 */
final class TlsContexts {
    private TlsContexts() {}

    static SslContext server(GrpcTransportOptions options) throws IOException {
        GrpcTransportOptions.Tls tls = options.tls().orElseThrow();
        try {
            SslContextBuilder b = tls.keyStore().isPresent()
                    ? SslContextBuilder.forServer(keyManagers(tls))
                    : SslContextBuilder.forServer(tls.certificateChain().orElseThrow().toFile(),
                            tls.privateKey().orElseThrow().toFile());
            GrpcSslContexts.configure(b);
            if (tls.trustCertificates().isPresent()) {
                b.trustManager(tls.trustCertificates().get().toFile());
            }
            b.clientAuth(options.security() == Security.MUTUAL_TLS ? ClientAuth.REQUIRE : ClientAuth.NONE);
            return b.build();
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IOException("cannot load the TLS server identity (" + tls + "): " + e.getMessage(), e);
        }
    }

    static SslContext client(GrpcTransportOptions options) throws IOException {
        GrpcTransportOptions.Tls tls = options.tls().orElseThrow();
        try {
            SslContextBuilder b = GrpcSslContexts.forClient();
            if (tls.trustCertificates().isPresent()) {
                b.trustManager(tls.trustCertificates().get().toFile());
            }
            if (options.security() == Security.MUTUAL_TLS) {
                if (tls.keyStore().isPresent()) {
                    b.keyManager(keyManagers(tls));
                } else {
                    b.keyManager(tls.certificateChain().orElseThrow().toFile(), tls.privateKey().orElseThrow().toFile());
                }
            }
            return b.build();
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IOException("cannot load the TLS client identity (" + tls + "): " + e.getMessage(), e);
        }
    }

    private static KeyManagerFactory keyManagers(GrpcTransportOptions.Tls tls)
            throws IOException, GeneralSecurityException {
        Path file = tls.keyStore().orElseThrow();
        char[] password = tls.keyStorePassword().orElseThrow().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        return kmf;
    }
}
