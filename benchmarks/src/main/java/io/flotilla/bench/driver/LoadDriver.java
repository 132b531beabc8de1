package io.flotilla.bench.driver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The cluster load driver: for each system, each run and each concurrency, a fresh 3-node cluster takes 256-byte
 * commands from closed-loop clients ({@link ClosedLoop}); it prints writes/s, latency percentiles and heap/GC
 * figures per level, then the medians over runs. Flotilla is built in; other systems are found with
 * {@link ServiceLoader} ({@link BenchClusterFactory}): the competitors exist only when built with
 * {@code -Pcompetitors}.
 *
 * <pre>{@code
 * java -Xmx768m -cp <classpath> io.flotilla.bench.driver.LoadDriver \
 *     --system flotilla,sofajraft,ratis --transport grpc --store file \
 *     --concurrency 1,16,128,1024 --warmup 5 --measure 10 --runs 3
 * }</pre>
 *
 * See docs/benchmarks.md for every option and the published figures.
 */
public final class LoadDriver {
    private LoadDriver() {}

    /**
     * Runs the driver.
     *
     * @param args options, see {@link #usage()}
     * @throws Exception if a cluster fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error"); // start/stop/connect noise off
        }
        List<String> systems = Arrays.asList(opts.getOrDefault("system", "flotilla").split(","));
        List<Integer> levels = Arrays.stream(opts.getOrDefault("concurrency", "1,16,128,1024").split(","))
                .map(Integer::parseInt).collect(Collectors.toList());
        Path dir = Path.of(opts.getOrDefault("dir", System.getProperty("java.io.tmpdir")))
                .resolve("flotilla-bench-" + ProcessHandle.current().pid());
        Map<String, BenchClusterFactory> factories = new TreeMap<>();
        factories.put("flotilla", new FlotillaClusterFactory());
        java.util.Iterator<BenchClusterFactory> found = ServiceLoader.load(BenchClusterFactory.class).iterator();
        while (true) {
            try {
                if (!found.hasNext()) {
                    break;
                }
                BenchClusterFactory f = found.next();
                factories.put(f.name(), f);
            } catch (java.util.ServiceConfigurationError e) {
                // A services file left by an earlier -Pcompetitors build names classes not compiled now.
                System.err.println("skipping a system that is not on the class path: " + e.getMessage());
            }
        }
        for (String s : systems) {
            if (!factories.containsKey(s)) {
                throw new IllegalArgumentException("unknown system '" + s + "'; available: " + factories.keySet()
                        + " (the competitors need the 'competitors' Maven profile)");
            }
        }
        List<Settings> all = new ArrayList<>();
        for (String s : systems) {
            all.add(new Settings(s, opts.getOrDefault("transport", "grpc"), opts.getOrDefault("store", "file"),
                    Integer.parseInt(opts.getOrDefault("processes", "1")), dir,
                    Integer.parseInt(opts.getOrDefault("size", "256")), levels,
                    Integer.parseInt(opts.getOrDefault("warmup", "5")),
                    Integer.parseInt(opts.getOrDefault("measure", "10")),
                    Integer.parseInt(opts.getOrDefault("runs", "1"))));
        }
        Settings first = all.get(0);
        System.out.printf("JVM %s %s, %d CPUs, -Xmx %d MiB; %d B commands, %d s warm-up + %d s measured per level, "
                + "%d run(s); transport %s, store %s%s, %d process(es)%n",
                System.getProperty("java.vm.name"), Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024), first.commandBytes(), first.warmupSeconds(),
                first.measureSeconds(), first.runs(), first.transport(), first.store(),
                first.durable() ? " (fsync on)" : "", first.processes());
        if (first.durable() || !first.transport().equals("mem")) {
            System.out.println(Floor.measure(dir, first.commandBytes(), 2000));
        }
        Map<String, List<List<LevelResult>>> results = new LinkedHashMap<>();
        for (int run = 1; run <= first.runs(); run++) {
            for (Settings settings : all) {
                List<LevelResult> sweep = new ArrayList<>();
                for (int c : levels) {
                    // A fresh cluster per level: one level's backlog or log size never slows the next.
                    try (BenchCluster cluster = factories.get(settings.system()).start(settings)) {
                        LevelResult r = ClosedLoop.run(cluster, c, settings.commandBytes(),
                                settings.warmupSeconds(), settings.measureSeconds());
                        if (sweep.isEmpty()) {
                            System.out.printf("%n%s, run %d%n%s%n", r.system(), run, LevelResult.header());
                        }
                        sweep.add(r);
                        System.out.println(r.row());
                        if (cluster.appliedOnLeader() == 0) {
                            throw new IllegalStateException("the leader applied nothing: " + r.system());
                        }
                    }
                }
                results.computeIfAbsent(settings.system(), k -> new ArrayList<>()).add(sweep);
            }
        }
        Files2.deleteTree(dir);
        System.out.printf("%nMedians over %d run(s)%n", first.runs());
        System.out.println(Medians.table(results));
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException(usage());
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        List<String> known = List.of("system", "transport", "store", "processes", "concurrency", "size", "warmup",
                "measure", "runs", "dir");
        for (String k : opts.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k + "\n" + usage());
            }
        }
        return opts;
    }

    static String usage() {
        return "LoadDriver [--system flotilla[,sofajraft,ratis,microraft]] [--transport grpc|mem|<scheme>]"
                + " [--store file|mem|<scheme>] [--processes 1|3] [--concurrency 1,16,128,1024] [--size 256]"
                + " [--warmup 5] [--measure 10] [--runs 1] [--dir /tmp]";
    }
}
