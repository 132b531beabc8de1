package io.flotilla.transport.http.internal;

import io.flotilla.transport.http.HttpTransportOptions;
import io.flotilla.transport.http.HttpTransportOptions.Security;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The node's TLS identity and trust, loaded once from {@link HttpTransportOptions.Tls} when the transport starts:
 * one {@link SSLContext} that serves both the embedded server and the client. PEM chain + PKCS#8 key (EC or
 * RSA), or a PKCS#12 key store; PEM trust certificates, or the JDK's default trust store. Immutable.
 */
final class TlsMaterial {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    final SSLContext context;
    final X509TrustManager trustManager;
    final boolean mutual;

    private TlsMaterial(SSLContext context, X509TrustManager trustManager, boolean mutual) {
        this.context = context;
        this.trustManager = trustManager;
        this.mutual = mutual;
    }

    /**
     * Loads the material.
     *
     * @throws IOException naming what could not be read or parsed
     */
    static TlsMaterial load(HttpTransportOptions options) throws IOException {
        HttpTransportOptions.Tls tls = options.tls().orElseThrow();
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            if (tls.keyStore().isPresent()) {
                char[] password = tls.keyStorePassword().orElseThrow().toCharArray();
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(tls.keyStore().get())) {
                    ks.load(in, password);
                }
                kmf.init(ks, password);
            } else {
                char[] password = new char[0];
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                List<Certificate> chain = certificates(tls.certificateChain().orElseThrow());
                if (chain.isEmpty()) {
                    throw new GeneralSecurityException("no certificate in " + tls.certificateChain().get());
                }
                ks.setKeyEntry("node", privateKey(tls.privateKey().orElseThrow()), password,
                        chain.toArray(new Certificate[0]));
                kmf.init(ks, password);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (tls.trustCertificates().isPresent()) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates(tls.trustCertificates().get())) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
                if (i == 0) {
                    throw new GeneralSecurityException("no certificate in " + tls.trustCertificates().get());
                }
                tmf.init(trust);
            } else {
                tmf.init((KeyStore) null);
            }
            X509TrustManager trustManager = null;
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager) {
                    trustManager = (X509TrustManager) tm;
                }
            }
            if (trustManager == null) {
                throw new GeneralSecurityException("no X.509 trust manager");
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), new TrustManager[] {trustManager}, null);
            return new TlsMaterial(context, trustManager, options.security() == Security.MUTUAL_TLS);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("cannot load the TLS identity (" + tls + "): " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<Certificate> out = new ArrayList<>();
        for (byte[] der : pemBlocks(file, "CERTIFICATE")) {
            Collection<? extends Certificate> certs = cf.generateCertificates(new ByteArrayInputStream(der));
            out.addAll(certs);
        }
        return out;
    }

    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        List<byte[]> keys = pemBlocks(file, "PRIVATE KEY");
        if (keys.size() != 1) {
            throw new GeneralSecurityException(file + " must hold exactly one unencrypted PKCS#8 'PRIVATE KEY', found "
                    + keys.size());
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.get(0));
        GeneralSecurityException last = null;
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException(file + " holds no EC, RSA or Ed25519 PKCS#8 key", last);
    }

    private static List<byte[]> pemBlocks(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<byte[]> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                out.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return out;
    }
}
