package io.flotilla.sim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every seed in {@code sim-regressions.txt}: seeds that once exposed a bug must pass every safety,
 * linearizability and liveness check forever after. Each entry was confirmed to fail before its fix.
 */
class RegressionSeedsTest {

    @TestFactory
    Stream<DynamicTest> regressionSeeds_allPass() throws IOException {
        List<String[]> entries = new ArrayList<>();
        try (InputStream in = RegressionSeedsTest.class.getResourceAsStream("/sim-regressions.txt")) {
            assertNotNull(in, "sim-regressions.txt is on the test class path");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    entries.add(line.split("\\s+", 2));
                }
            }
        }
        assertFalse(entries.isEmpty(), "the regression list is not empty");
        return entries.stream().map(e -> DynamicTest.dynamicTest("seed " + e[0], () -> {
            long seed = Long.parseLong(e[0]);
            SimReport report = Simulation.run(SimOptions.defaults(seed));
            assertTrue(report.passed(), "regression seed " + seed + " (" + (e.length > 1 ? e[1] : "") + "): "
                    + report.violation().orElse("") + "\nreplay: " + report.replayCommand("SimulationTest"));
        }));
    }
}
