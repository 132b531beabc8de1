package io.flotilla.examples.kv.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.testkit.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the getting-started example and checks that docs/getting-started.md quotes it verbatim. */
class GettingStartedIT {
    private static final Path SOURCE = Path.of("src/main/java/io/flotilla/examples/kv/start/GettingStarted.java");
    private static final Path PAGE = Path.of("../../docs/getting-started.md");

    @TempDir
    Path dir;

    @Test
    void example_writesAndReadsThroughARealCluster() throws Exception {
        int[] ports = {TestPorts.freeStablePort(), TestPorts.freeStablePort(), TestPorts.freeStablePort()};
        assertEquals("world", GettingStarted.run(dir, ports));
        for (String node : List.of("n1", "n2", "n3")) {
            assertTrue(Files.isDirectory(dir.resolve(node).resolve("log")), node + " has a file store");
        }
    }

    @Test
    void gettingStartedPage_quotesTheExampleVerbatim() throws Exception {
        List<String> lines = Files.readAllLines(SOURCE);
        int start = lines.indexOf("        // [start]");
        int end = lines.indexOf("        // [end]");
        assertTrue(start > 0 && end > start, "markers in " + SOURCE);
        String snippet = lines.subList(start + 1, end).stream()
                .map(l -> l.length() >= 8 ? l.substring(8) : l.strip()).collect(Collectors.joining("\n"));
        assertTrue(end - start - 1 <= 30, "the example is at most 30 lines, has " + (end - start - 1));
        String page = Files.readString(PAGE);
        assertTrue(page.contains(snippet), PAGE + " must quote GettingStarted.java between [start] and [end]"
                + " verbatim (de-indented by 8 spaces):\n" + snippet);
    }
}
