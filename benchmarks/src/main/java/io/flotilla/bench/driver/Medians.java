package io.flotilla.bench.driver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The driver's summary: per system and concurrency, the median of each figure over the runs. */
final class Medians {
    private Medians() {}

    static String table(Map<String, List<List<LevelResult>>> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-10s %-11s %10s %8s %8s %8s %9s %8s %8s%n", "system", "concurrency",
                "writes/s", "p50 ms", "p99 ms", "p999 ms", "alloc MB/s", "peak MiB", "live MiB"));
        for (Map.Entry<String, List<List<LevelResult>>> e : results.entrySet()) {
            List<List<LevelResult>> runs = e.getValue();
            for (int level = 0; level < runs.get(0).size(); level++) {
                List<LevelResult> same = new ArrayList<>();
                for (List<LevelResult> run : runs) {
                    same.add(run.get(level));
                }
                out.append(String.format("%-10s %-11d %10.0f %8.3f %8.3f %8.3f %9.0f %8.0f %8.0f%n", e.getKey(),
                        same.get(0).concurrency(), median(same, LevelResult::writesPerSecond),
                        median(same, LevelResult::p50Millis), median(same, LevelResult::p99Millis),
                        median(same, LevelResult::p999Millis), median(same, LevelResult::allocMibPerSecond),
                        median(same, r -> r.peakHeapMib()), median(same, r -> r.liveHeapMib())));
            }
        }
        return out.toString();
    }

    static double median(List<LevelResult> rs, ToDoubleFunction<LevelResult> f) {
        double[] v = rs.stream().mapToDouble(f).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
