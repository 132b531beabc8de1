package io.flotilla.transport.grpc.internal;

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
 * Surefire class-path fallback to hide JPMS faults (jpms-spike.md pitfall 14): it finds the gRPC provider through
 * {@code io.flotilla.spi.Providers} (ServiceLoader via {@code io.flotilla}'s {@code uses}), starts two transports
 * on 127.0.0.1 and exchanges a message each way. The application module is compiled here with the JDK's javac
 * {@link ToolProvider}; the runtime jars come from {@code dependency:build-classpath} (see the pom).
 */
class ModulePathSmokeIT {
    private static final String MODULE_INFO = "module flotilla.grpc.smoke { requires io.flotilla; }\n";
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
            "    URI listen = URI.create(\"grpc://127.0.0.1:0\");",
            "    TransportProvider p = Providers.transport(Optional.of(listen));",
            "    ClusterId c = ClusterId.of(\"smoke\");",
            "    NodeId a = NodeId.of(\"a\"), b = NodeId.of(\"b\");",
            "    CountDownLatch got = new CountDownLatch(2);",
            "    try (Transport ta = p.create(listen, new TransportContext(c, a));",
            "         Transport tb = p.create(listen, new TransportContext(c, b))) {",
            "      ta.start(m -> { if (m.from().equals(b)) got.countDown(); });",
            "      tb.start(m -> { if (m.from().equals(a)) got.countDown(); });",
            "      ta.updatePeers(Map.of(b, tb.localAddress()));",
            "      tb.updatePeers(Map.of(a, ta.localAddress()));",
            "      ta.send(new HeartbeatRequest(a, b, 1, 0, 1));",
            "      tb.send(new HeartbeatResponse(b, a, 1, 1, 0));",
            "      if (!got.await(20, TimeUnit.SECONDS)) { System.out.println(\"SMOKE FAILED: no exchange\"); System.exit(2); }",
            "      System.out.println(\"SMOKE OK provider=\" + p.name() + \" module=\" + p.getClass().getModule().getName()",
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
        if (Runtime.version().feature() >= 24) {
            cmd.add("--enable-native-access=io.grpc.netty.shaded");
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("-p", classes + File.pathSeparator + modulePath, "-m", "flotilla.grpc.smoke/smoke.Main"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS); // its output is a few lines: the pipe never fills
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = readAvailable(p);
        System.out.println("ModulePathSmokeIT output:\n" + out);
        assertTrue(exited, "the smoke application did not exit within 60 s");
        assertEquals(0, p.exitValue(), "smoke application failed:\n" + out);
        assertTrue(out.contains("SMOKE OK provider=grpc module=io.flotilla.transport.grpc"), out);
        // Netty must find sun.misc.Unsafe (the module requires jdk.unsupported) or it silently uses heap buffers.
        assertTrue(!out.contains("does not provide complete low-level API"), "Netty fell back to heap buffers:\n" + out);
    }

    private static String readAvailable(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
