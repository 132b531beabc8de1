package io.flotilla.transport.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a throw-away PKI at test time with the JDK's {@code keytool} (nothing with a private key is committed):
 * a CA, and leaf certificates it signs for 127.0.0.1/localhost with serverAuth and clientAuth usage, as PKCS#12
 * key stores and, converted here, as PEM chain + PKCS#8 key files. Each keytool run is a JVM start (about a
 * second), so the PEM export and chain import are done in Java and independent issuances run in parallel.
 */
final class TestCertificates {
    static final String PASSWORD = "test-only-pw";

    private final Path dir;
    private final String caName;

    private TestCertificates(Path dir, String caName) {
        this.dir = dir;
        this.caName = caName;
    }

    /** Creates a CA named {@code caName} in {@code dir}. */
    static TestCertificates newCa(Path dir, String caName) throws Exception {
        TestCertificates pki = new TestCertificates(dir, caName);
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + caName, "-ext", "bc:c", "-validity", "2",
                "-keystore", pki.caStore().toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        Files.writeString(pki.caPem(), pem("CERTIFICATE", load(pki.caStore()).getCertificate("ca").getEncoded()),
                StandardCharsets.US_ASCII);
        return pki;
    }

    Path caPem() {
        return dir.resolve(caName + ".pem");
    }

    private Path caStore() {
        return dir.resolve(caName + ".p12");
    }

    /** Issues a leaf for {@code name}; returns its PKCS#12 store, alias "node", chain: leaf, CA. */
    Path issue(String name) throws Exception {
        Path store = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path crt = dir.resolve(name + ".crt");
        keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-certreq", "-alias", "node", "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", csr.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caStore().toString(), "-storepass", PASSWORD,
                "-infile", csr.toString(), "-outfile", crt.toString(), "-rfc", "-validity", "2",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth,clientAuth");
        // Assemble the chain here rather than with two more keytool -importcert runs (each is a JVM start).
        KeyStore ks = load(store);
        Key key = ks.getKey("node", PASSWORD.toCharArray());
        Certificate leaf;
        try (InputStream in = Files.newInputStream(crt)) {
            leaf = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        Certificate caCert = load(caStore()).getCertificate("ca");
        ks.setKeyEntry("node", key, PASSWORD.toCharArray(), new Certificate[] {leaf, caCert});
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, PASSWORD.toCharArray());
        }
        return store;
    }

    private static KeyStore load(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    /** Converts a store made by {@link #issue} into {@code [chain.pem, key.pem]}. */
    static Path[] toPem(Path store) throws Exception {
        KeyStore ks = load(store);
        Key key = ks.getKey("node", PASSWORD.toCharArray());
        StringBuilder chain = new StringBuilder();
        for (Certificate c : ks.getCertificateChain("node")) {
            chain.append(pem("CERTIFICATE", c.getEncoded()));
        }
        String base = store.getFileName().toString().replace(".p12", "");
        Path chainFile = store.resolveSibling(base + "-chain.pem");
        Path keyFile = store.resolveSibling(base + "-key.pem");
        Files.writeString(chainFile, chain, StandardCharsets.US_ASCII);
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII); // PKCS#8
        return new Path[] {chainFile, keyFile};
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // A short-lived tool JVM: skip the optimizing JIT and use the serial GC to start faster.
        cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
