package io.flotilla.examples.kv.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo, shortened: the {@link Demo} launcher and its three nodes run as separate JVMs on a
 * <em>pure</em> module path ({@code java -p <jars> -m io.flotilla.examples.kv/...}), exactly as {@code ./demo}
 * starts them, so the command cannot rot and JPMS faults that the test runner's class path would hide show up:
 * the gRPC transport and file store must be found through ServiceLoader by URI.
 */
class DemoIT {
    @TempDir
    Path dir;

    @Test
    void demo_killsTheLeader_reElects_andEveryAcknowledgedWriteIsReadable() throws Exception {
        List<String> path = new ArrayList<>();
        path.add(System.getProperty("demo.moduleJar"));
        path.addAll(List.of(Files.readString(Path.of(System.getProperty("demo.runtimePathFile"))).trim()
                .split(File.pathSeparator)));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-p", String.join(File.pathSeparator, path),
                "-m", "io.flotilla.examples.kv/io.flotilla.examples.kv.demo.Demo",
                "--seconds", "2", "--clients", "4", "--dir", dir.resolve("cluster").toString()));
        Path output = dir.resolve("demo.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean exited = p.waitFor(420, TimeUnit.SECONDS); // a bound for busy machines, not a speed claim
        if (!exited) {
            p.destroy(); // SIGTERM: the demo's shutdown hook stops its nodes
            p.waitFor(20, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println("DemoIT output:\n" + out);
        for (String node : List.of("n1", "n2", "n3")) {
            Path log = dir.resolve("cluster").resolve(node + ".log");
            if (Files.exists(log) && (!exited || p.exitValue() != 0)) {
                System.out.println("---- " + node + ".log ----\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
        }
        assertTrue(exited, "the demo did not finish within 420 s");
        assertEquals(0, p.exitValue(), "the demo failed");
        assertTrue(out.contains("leader elected: "), out);
        assertTrue(out.contains("writes/s"), out);
        assertTrue(out.matches("(?s).*new leader n\\d in term \\d+.*"), out);
        assertTrue(out.matches("(?s).*all \\d+ acknowledged writes are readable.*"), out);
        assertTrue(out.contains("is back and has applied everything"), out);
        assertTrue(out.contains("Stopping the cluster"), out);
        for (String node : List.of("n1", "n2", "n3")) {
            assertTrue(Files.isDirectory(dir.resolve("cluster").resolve(node).resolve("log")),
                    node + " kept its log in the file store");
        }
    }
}
