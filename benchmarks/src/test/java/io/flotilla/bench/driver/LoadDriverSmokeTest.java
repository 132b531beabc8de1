package io.flotilla.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A seconds-long smoke run of the load driver's machinery (not a measurement: speed is never asserted): a fresh
 * Flotilla cluster per backend pair takes closed-loop load for one second, and every measured command must have
 * completed without failure and been applied by the leader's state machine.
 */
class LoadDriverSmokeTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}:// + {1}:")
    @CsvSource({"mem, mem", "grpc, file"})
    void closedLoop_onFlotilla_commitsAndMeasures(String transport, String store) throws Exception {
        Settings settings = new Settings("flotilla", transport, store, 1, dir, 256, List.of(4), 0, 1, 1);
        try (BenchCluster cluster = new FlotillaClusterFactory().start(settings)) {
            LevelResult r = ClosedLoop.run(cluster, 4, settings.commandBytes(), 0, 1);
            assertTrue(r.writesPerSecond() > 0, r.row());
            assertEquals(0, r.failures(), r.row());
            assertTrue(r.p50Millis() > 0 && r.p50Millis() <= r.p99Millis(), r.row());
            assertTrue(cluster.appliedOnLeader() >= r.writesPerSecond() * 0.9, "the leader applied every command");
            assertTrue(cluster.describe().startsWith("Flotilla " + transport + "://"), cluster.describe());
        }
    }
}
