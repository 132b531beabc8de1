package io.flotilla.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.RaftException;
import io.flotilla.message.RaftMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden-file scenario tests (etcd raft's {@code testdata/*.txt} driven by {@code InteractionEnv}): each file in
 * {@code src/test/resources/scenarios} is a script of commands, each followed by {@code ----} and the output it
 * must produce. One dynamic test per file. Run with {@code -Dscenario.rewrite=true} to regenerate the outputs,
 * then review the diff. Every scenario also fails on any safety violation the {@link Env} detects, unless its
 * {@code add-nodes} line says {@code allow-violations}.
 *
 * <p>Commands: {@code add-nodes N [prevote=B] [checkquorum=B] [learners=a,b] [election=T] [heartbeat=T]
 * [seed=S] [bugs=A,B] [maxinflight=N] [maxentries=N] [allow-violations]}, {@code init-log n t1,t2,.. [term=T]},
 * {@code campaign n}, {@code timeout-now n}, {@code tick n [k]}, {@code tick-all [k]}, {@code run k},
 * {@code deliver [a->b]}, {@code stabilize}, {@code drop a->b}, {@code stash a->b}, {@code unstash},
 * {@code dup a->b}, {@code reorder}, {@code partition 1,2 | 3}, {@code heal}, {@code propose n x..},
 * {@code read-index n id}, {@code read-index-from n id}, {@code crash n}, {@code restart n}, {@code hold n}, {@code release n},
 * {@code pause n}, {@code resume n}, {@code status}, {@code log n|all}, {@code net}. In {@code a->b} either
 * side may be {@code *}.
 *
 * <p>Storage is synchronous (each Ready is persisted as soon as it is taken) unless a node is held with
 * {@code hold n}; {@code crash n} then loses whatever the node had not yet persisted, and {@code restart n}
 * rebuilds it from its durable log and hard state. {@code run k} ticks every node and delivers one hop per round,
 * printing only role changes and the final status; {@code pause n} freezes a node (no ticks, no delivery).
 */
class ScenarioTest {
    private static final boolean REWRITE = Boolean.getBoolean("scenario.rewrite");

    static Path scenarioDir() {
        String base = System.getProperty("basedir", System.getProperty("user.dir"));
        Path p = Path.of(base, "src", "test", "resources", "scenarios");
        if (!Files.isDirectory(p)) {
            p = Path.of(base, "raft-core", "src", "test", "resources", "scenarios");
        }
        return p;
    }

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(scenarioDir())) {
            files = s.filter(f -> f.toString().endsWith(".txt")).sorted().collect(Collectors.toList());
        }
        assertTrue(files.size() >= 10, "expected the scenario files in " + scenarioDir());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> runFile(f)));
    }

    /** One command with its preceding comments and its expected output. */
    private static final class Block {
        final List<String> comments = new ArrayList<>();
        String command;
        String expected = "";
    }

    private static List<Block> parse(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        Block cur = new Block();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank()) {
                i++;
                continue;
            }
            if (line.startsWith("#")) {
                cur.comments.add(line);
                i++;
                continue;
            }
            cur.command = line.trim();
            i++;
            if (i < lines.size() && lines.get(i).equals("----")) {
                i++;
                StringBuilder exp = new StringBuilder();
                while (i < lines.size() && !lines.get(i).isBlank()) {
                    exp.append(lines.get(i)).append('\n');
                    i++;
                }
                cur.expected = exp.toString();
            }
            blocks.add(cur);
            cur = new Block();
        }
        if (!cur.comments.isEmpty()) {
            cur.command = null;
            blocks.add(cur);
        }
        return blocks;
    }

    static void runFile(Path file) throws IOException {
        List<Block> blocks = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        Runner runner = new Runner();
        StringBuilder expectedAll = new StringBuilder();
        StringBuilder actualAll = new StringBuilder();
        for (Block b : blocks) {
            for (String c : b.comments) {
                expectedAll.append(c).append('\n');
                actualAll.append(c).append('\n');
            }
            if (b.command == null) {
                continue;
            }
            String actual = runner.run(b.command);
            if (actual.isEmpty()) {
                actual = "ok\n";
            }
            expectedAll.append(b.command).append("\n----\n").append(b.expected).append('\n');
            actualAll.append(b.command).append("\n----\n").append(actual).append('\n');
        }
        if (REWRITE) {
            Files.writeString(file, actualAll.toString().stripTrailing() + "\n", StandardCharsets.UTF_8);
        } else {
            assertEquals(expectedAll.toString(), actualAll.toString(),
                    file.getFileName() + " differs from its golden output (rerun with -Dscenario.rewrite=true and review)");
        }
        if (!runner.allowViolations) {
            assertEquals(List.of(), runner.env == null ? List.of() : runner.env.violations,
                    file.getFileName() + ": safety violations");
        }
    }

    /** Interprets commands against an {@link Env}. */
    static final class Runner {
        Env env;
        boolean allowViolations;

        String run(String command) {
            String[] t = command.split("\\s+");
            Map<String, String> kv = new HashMap<>();
            List<String> args = new ArrayList<>();
            for (int i = 1; i < t.length; i++) {
                int eq = t[i].indexOf('=');
                if (eq > 0) {
                    kv.put(t[i].substring(0, eq), t[i].substring(eq + 1));
                } else {
                    args.add(t[i]);
                }
            }
            if (env != null) {
                env.out.setLength(0);
            }
            try {
                execute(t[0], args, kv);
            } catch (RaftException e) {
                env.out.append("error: ").append(e.getClass().getSimpleName()).append(": ").append(e.getMessage())
                        .append('\n');
            }
            return env.out.toString();
        }

        private void execute(String cmd, List<String> args, Map<String, String> kv) {
            switch (cmd) {
                case "add-nodes": {
                    env = new Env();
                    allowViolations = args.contains("allow-violations");
                    RaftConfig.Builder b = RaftConfig.newBuilder()
                            .preVote(Boolean.parseBoolean(kv.getOrDefault("prevote", "true")))
                            .checkQuorum(Boolean.parseBoolean(kv.getOrDefault("checkquorum", "true")))
                            .electionTicks(Integer.parseInt(kv.getOrDefault("election", "10")))
                            .heartbeatTicks(Integer.parseInt(kv.getOrDefault("heartbeat", "2")))
                            .maxInflightAppends(Integer.parseInt(kv.getOrDefault("maxinflight", "256")))
                            .maxAppendEntries(Integer.parseInt(kv.getOrDefault("maxentries", "4096")));
                    Set<SeededBug> bugs = EnumSet.noneOf(SeededBug.class);
                    if (kv.containsKey("bugs")) {
                        for (String s : kv.get("bugs").split(",")) {
                            bugs.add(SeededBug.valueOf(s));
                        }
                    }
                    List<Integer> learners = new ArrayList<>();
                    if (kv.containsKey("learners")) {
                        for (String s : kv.get("learners").split(",")) {
                            learners.add(Integer.parseInt(s));
                        }
                    }
                    int voters = Integer.parseInt(args.get(0));
                    env.addNodes(voters, learners, b.build(), Long.parseLong(kv.getOrDefault("seed", "1")), bugs);
                    env.out.append(env.status());
                    break;
                }
                case "init-log": {
                    String[] terms = args.get(1).split(",");
                    long[] ts = Arrays.stream(terms).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
                    long max = Arrays.stream(ts).max().orElse(0);
                    env.initLog(id(args.get(0)), ts, Long.parseLong(kv.getOrDefault("term", Long.toString(max))));
                    env.out.append(env.log(id(args.get(0))));
                    break;
                }
                case "campaign":
                    env.campaign(id(args.get(0)));
                    break;
                case "timeout-now": {
                    Env.Node n = env.node(id(args.get(0)));
                    NodeId from = n.p.leader().orElseThrow(() -> new IllegalStateException("no leader known"));
                    n.p.step(new io.flotilla.message.TimeoutNow(from, n.id, n.p.term()));
                    env.process(n);
                    break;
                }
                case "tick":
                    env.tick(id(args.get(0)), args.size() > 1 ? Integer.parseInt(args.get(1)) : 1);
                    break;
                case "tick-all":
                    env.tickAll(args.isEmpty() ? 1 : Integer.parseInt(args.get(0)));
                    break;
                case "run":
                    env.run(Integer.parseInt(args.get(0)));
                    env.out.append(env.status());
                    break;
                case "deliver":
                    env.deliver(args.isEmpty() ? m -> true : link(args.get(0)));
                    break;
                case "stabilize":
                    env.stabilize();
                    break;
                case "drop": {
                    Predicate<RaftMessage> p = link(args.get(0));
                    int before = env.network.size();
                    env.network.removeIf(p);
                    env.out.append("dropped ").append(before - env.network.size()).append(" messages\n");
                    break;
                }
                case "stash": {
                    Predicate<RaftMessage> p = link(args.get(0));
                    env.network.stream().filter(p).forEach(env.stash::add);
                    env.network.removeIf(p);
                    env.out.append("stashed ").append(env.stash.size()).append(" messages\n");
                    break;
                }
                case "unstash":
                    env.network.addAll(env.stash);
                    env.stash.clear();
                    break;
                case "dup": {
                    Predicate<RaftMessage> p = link(args.get(0));
                    env.network.addAll(env.network.stream().filter(p).collect(Collectors.toList()));
                    break;
                }
                case "reorder":
                    Collections.reverse(env.network);
                    break;
                case "partition": {
                    List<Set<NodeId>> groups = new ArrayList<>();
                    for (String g : String.join(" ", args).split("\\|")) {
                        Set<NodeId> set = new TreeSet<>();
                        for (String s : g.trim().split(",")) {
                            set.add(id(s.trim()));
                        }
                        groups.add(set);
                    }
                    env.partition(groups);
                    break;
                }
                case "heal":
                    env.partition(List.of());
                    break;
                case "propose": {
                    long first = env.propose(id(args.get(0)), args.subList(1, args.size()).toArray(new String[0]));
                    env.out.append("proposed at ").append(first).append('\n');
                    break;
                }
                case "read-index":
                    env.node(id(args.get(0))).p.readIndex(Long.parseLong(args.get(1)));
                    env.process(env.node(id(args.get(0))));
                    break;
                case "read-index-from": {
                    // A follower asks its leader for a read index (thesis §6.4 follower reads).
                    Env.Node n = env.node(id(args.get(0)));
                    NodeId lead = n.p.leader().orElseThrow(() -> new IllegalStateException("no leader known"));
                    env.network.add(new io.flotilla.message.ReadIndexRequest(n.id, lead, n.p.term(),
                            Long.parseLong(args.get(1))));
                    break;
                }
                case "crash":
                    env.crash(id(args.get(0)));
                    break;
                case "restart":
                    env.restart(id(args.get(0)));
                    break;
                case "hold":
                    env.node(id(args.get(0))).held = true;
                    break;
                case "release": {
                    Env.Node n = env.node(id(args.get(0)));
                    n.held = false;
                    env.process(n);
                    break;
                }
                case "pause":
                    env.node(id(args.get(0))).paused = true;
                    break;
                case "resume":
                    env.node(id(args.get(0))).paused = false;
                    break;
                case "status":
                    env.out.append(env.status());
                    break;
                case "log":
                    if (args.get(0).equals("all")) {
                        for (NodeId id : env.nodes.keySet()) {
                            if (env.node(id).up) {
                                env.out.append(env.log(id));
                            }
                        }
                    } else {
                        env.out.append(env.log(id(args.get(0))));
                    }
                    break;
                case "net":
                    for (RaftMessage m : env.network) {
                        env.out.append(Env.fmt(m)).append('\n');
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown scenario command: " + cmd);
            }
        }

        private static NodeId id(String s) {
            return NodeId.of(s);
        }

        private static Predicate<RaftMessage> link(String spec) {
            String[] ab = spec.split("->");
            String a = ab[0];
            String b = ab[1];
            return m -> (a.equals("*") || m.from().value().equals(a)) && (b.equals("*") || m.to().value().equals(b));
        }
    }
}
