package io.flotilla.transport.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Launches a tiny application on a <em>pure</em> module path ({@code java -p <runtime jars> -m ...}), with no
 * Surefire class-path fallback to hide JPMS faults (jpms-spike.md pitfall 14): it finds the HTTP provider through
 * {@code io.flotilla.spi.Providers} (ServiceLoader via {@code io.flotilla}'s {@code uses}), starts two transports
 * on 127.0.0.1 (OkHttp client, Jetty server, h2c) and exchanges a message each way plus a streamed snapshot chunk. The application module is compiled here with the JDK's javac
 * {@link ToolProvider}; the runtime jars come from {@code dependency:build-classpath} (see the pom).
 */
class ModulePathSmokeIT {
    private static final String MODULE_INFO = "module flotilla.http.smoke { requires io.flotilla; }\n";
    private static final String MAIN = String.join("\n",
            "package smoke;",
            "import io.flotilla.*;",
            "import io.flotilla.message.*;",
            "import io.flotilla.spi.*;",
            "import java.net.URI;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "public final class Main {",
            "  public static void main(String[] args) throws Exception {",
            "    pair(URI.create(\"http://127.0.0.1:0\"));",
            "    pair(URI.create(\"https://127.0.0.1:0?keyStore=\" + args[0] + \"&keyStorePassword=\" + args[1] + \"&trust=\" + args[2]));",
            "  }",
            "  static void pair(URI listen) throws Exception {",
            "    TransportProvider p = Providers.transport(Optional.of(listen));",
            "    ClusterId c = ClusterId.of(\"smoke\");",
            "    NodeId a = NodeId.of(\"a\"), b = NodeId.of(\"b\");",
            "    CountDownLatch got = new CountDownLatch(3);",
            "    try (Transport ta = p.create(listen, new TransportContext(c, a));",
            "         Transport tb = p.create(listen, new TransportContext(c, b))) {",
            "      ta.start(m -> { if (m.from().equals(b)) got.countDown(); });",
            "      tb.start(m -> { if (m.from().equals(a)) got.countDown(); });",
            "      ta.updatePeers(Map.of(b, tb.localAddress()));",
            "      tb.updatePeers(Map.of(a, ta.localAddress()));",
            "      ta.send(new HeartbeatRequest(a, b, 1, 0, 1));",
            "      tb.send(new HeartbeatResponse(b, a, 1, 1, 0));",
            "      SnapshotMeta meta = new SnapshotMeta(5, 1, ClusterConfig.ofVoters(Map.of(a, ta.localAddress(), b, tb.localAddress())));",
            "      ta.send(new InstallSnapshotRequest(a, b, 1, meta, 0, Bytes.copyOf(new byte[100_000]), 0, true, 0));",
            "      if (!got.await(30, TimeUnit.SECONDS)) { System.out.println(\"SMOKE FAILED: no exchange over \" + listen.getScheme()); System.exit(2); }",
            "      System.out.println(\"SMOKE OK \" + listen.getScheme() + \" provider=\" + p.name() + \" module=\" + p.getClass().getModule().getName()",
            "          + \" caps=\" + ta.capabilities());",
            "    }",
            "  }",
            "}",
            "");

    @TempDir
    Path dir;

    @Test
    void pureModulePath_providerFound_andTwoTransportsExchangeMessages() throws Exception {
        Path moduleJar = Path.of(System.getProperty("smoke.moduleJar"));
        List<String> runtime = new ArrayList<>(List.of(
                Files.readString(Path.of(System.getProperty("smoke.runtimePathFile"))).trim().split(File.pathSeparator)));
        runtime.add(0, moduleJar.toString());
        String modulePath = String.join(File.pathSeparator, runtime);

        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("smoke"));
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("smoke/Main.java"), MAIN);
        Path classes = dir.resolve("classes");
        StringWriter javacOut = new StringWriter();
        int rc = ToolProvider.findFirst("javac").orElseThrow().run(new PrintWriter(javacOut), new PrintWriter(javacOut),
                "--release", "17", "-p", modulePath, "-d", classes.toString(),
                src.resolve("module-info.java").toString(), src.resolve("smoke/Main.java").toString());
        assertEquals(0, rc, "javac failed: " + javacOut);

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-p", classes + File.pathSeparator + modulePath, "-m", "flotilla.http.smoke/smoke.Main"));
        // https: mutual TLS through the provider's URI options, so ALPN (jetty-alpn-java-server, a service
        // provider nothing else resolves) is exercised on the pure module path too.
        TestCertificates ca = TestCertificates.newCa(dir, "smoke-ca");
        Path store = ca.issue("smoke-node");
        cmd.addAll(List.of(enc(store.toString()), TestCertificates.PASSWORD, enc(ca.caPem().toString())));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean exited = p.waitFor(90, TimeUnit.SECONDS); // its output is a few lines: the pipe never fills
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = readAvailable(p);
        System.out.println("ModulePathSmokeIT output:\n" + out);
        assertTrue(exited, "the smoke application did not exit within 90 s");
        assertEquals(0, p.exitValue(), "smoke application failed:\n" + out);
        assertTrue(out.contains("SMOKE OK http provider=http module=io.flotilla.transport.http"), out);
        assertTrue(out.contains("SMOKE OK https provider=http module=io.flotilla.transport.http caps=[SEPARATE_SNAPSHOT_CHANNEL, TLS]")
                || out.contains("SMOKE OK https provider=http module=io.flotilla.transport.http caps=[TLS, SEPARATE_SNAPSHOT_CHANNEL]"), out);
        // Neither the JVM nor a library may complain about module access on the way (illegal reflective access,
        // Unsafe or native-access warnings would show up here first when a JDK tightens the rules).
        assertTrue(!out.contains("WARNING:"), "the JVM warned on a pure module path:\n" + out);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String readAvailable(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
