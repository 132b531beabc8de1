package io.flotilla.store.lmdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.flotilla.LogEntry;
import io.flotilla.store.lmdb.LmdbStoreOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 during write transactions: a child JVM ({@link LmdbCrashChild}) appends, truncates, compacts and saves
 * hard state on one store in a loop, reporting each operation before ({@code B}) and after it returned ({@code K});
 * the parent SIGKILLs it at a random point, reopens the store and checks that it equals the model of every
 * acknowledged operation, or that model plus the one operation in flight, exactly: every acknowledged entry is there
 * with its bytes, nothing torn, nothing extra, the hard state never regresses. Then the next child continues on the
 * recovered store (recovery after a kill is itself exercised).
 *
 * <p>Default: {@value #DEFAULT_KILLS} kills (about a minute); {@code -Dlmdb.crash.kills=N} for a longer campaign
 * ({@code -Plmdb-crash-long}), {@code -Dlmdb.crash.seed=S} replays the seed this test prints.
 */
class LmdbCrashIT {
    static final int DEFAULT_KILLS = 24;

    @TempDir
    Path dir;

    /** What the store must hold: the log (index to term; payloads follow from them) and the hard-state term. */
    private static final class Model {
        long first = 1;
        long last;
        long hardTerm;
        final TreeMap<Long, Long> terms = new TreeMap<>();

        Model copy() {
            Model m = new Model();
            m.first = first;
            m.last = last;
            m.hardTerm = hardTerm;
            m.terms.putAll(terms);
            return m;
        }

        void apply(String op) {
            String[] p = op.split(" ");
            switch (p[0]) {
                case "A": {
                    long from = Long.parseLong(p[1]);
                    int count = Integer.parseInt(p[2]);
                    long term = Long.parseLong(p[3]);
                    assertEquals(last + 1, from, "child appended at a gap: " + op);
                    for (long i = from; i < from + count; i++) {
                        terms.put(i, term);
                    }
                    last = from + count - 1;
                    break;
                }
                case "S":
                    hardTerm = Long.parseLong(p[1]);
                    break;
                case "T": {
                    long from = Long.parseLong(p[1]);
                    terms.tailMap(from, true).clear();
                    last = from - 1;
                    break;
                }
                case "C": {
                    long through = Long.parseLong(p[1]);
                    if (through >= first) {
                        terms.headMap(through, true).clear();
                        last = Math.max(last, through);
                        first = through + 1;
                    }
                    break;
                }
                default:
                    throw new AssertionError("unknown op " + op);
            }
        }

        @Override
        public String toString() {
            return "[" + first + ", " + last + "] hardTerm " + hardTerm;
        }
    }

    /** Returns null if the store equals the model, else the first difference. */
    private static String diff(LmdbStorage s, Model m, long seed) throws IOException {
        if (s.log().firstIndex() != m.first || s.log().lastIndex() != m.last) {
            return "bounds [" + s.log().firstIndex() + ", " + s.log().lastIndex() + "] vs model " + m;
        }
        if (s.state().load().term() != m.hardTerm) {
            return "hard state term " + s.state().load().term() + " vs model " + m;
        }
        long i = m.first;
        while (i <= m.last) {
            List<LogEntry> got = s.log().entries(i, m.last + 1, 1 << 20);
            for (LogEntry e : got) {
                long term = m.terms.get(e.index());
                if (e.term() != term || !e.payload().equals(CrashWorkload.payload(seed, e.index(), term))) {
                    return "entry " + e.index() + " differs (term " + e.term() + " vs " + term + ")";
                }
            }
            i += got.size();
        }
        return null;
    }

    @Test
    void killDuringWrites_manyTimes_losesNoAcknowledgedWrite_andTearsNothing() throws Exception {
        long seed = Long.getLong("lmdb.crash.seed", System.nanoTime());
        int kills = Integer.getInteger("lmdb.crash.kills", DEFAULT_KILLS);
        System.out.println("LmdbCrashIT: seed " + seed + " (replay with -Dlmdb.crash.seed=" + seed + "), " + kills
                + " kills");
        SplittableRandom r = new SplittableRandom(seed);
        Model model = new Model();
        Map<String, Integer> inFlightApplied = new TreeMap<>();
        long acked = 0;
        for (int k = 0; k < kills; k++) {
            Process p = new ProcessBuilder(ChildJvm.classPath(true, LmdbCrashChild.class.getName(), dir.toString(),
                    Long.toString(seed), Long.toString(seed + k)))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            int target = r.nextInt(1, 120);
            List<String> lines = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                int ks = 0;
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (line.equals("K") && ++ks == target) {
                        p.toHandle().destroyForcibly(); // SIGKILL; the child is mid-way through its next operation
                        break;
                    }
                }
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not die");
                while ((line = in.readLine()) != null) {
                    lines.add(line); // lines the child wrote before the kill
                }
            }
            assertTrue(lines.size() > 0 && lines.get(0).equals("READY"), "child failed to start: " + lines);
            if (p.exitValue() != 137 && p.exitValue() != 9) {
                fail("child exited by itself with " + p.exitValue() + " after " + lines);
            }
            String inFlight = null;
            for (String line : lines.subList(1, lines.size())) {
                if (line.startsWith("B ")) {
                    inFlight = line.substring(2);
                } else if (line.equals("K")) {
                    model.apply(inFlight);
                    acked++;
                    inFlight = null;
                } else {
                    fail("unexpected child output: " + line);
                }
            }
            try (LmdbStorage s = LmdbStorage.open(dir, LmdbStoreOptions.defaults())) {
                String before = diff(s, model, seed);
                if (before != null && inFlight != null) {
                    Model after = model.copy();
                    after.apply(inFlight);
                    String withInFlight = diff(s, after, seed);
                    if (withInFlight != null) {
                        fail("kill " + k + " (seed " + seed + "): the store matches neither the acknowledged state ("
                                + before + ") nor it plus the operation in flight " + inFlight + " (" + withInFlight
                                + ")");
                    }
                    model = after;
                    inFlightApplied.merge(inFlight.substring(0, 1), 1, Integer::sum);
                } else if (before != null) {
                    fail("kill " + k + " (seed " + seed + "): " + before);
                }
            }
        }
        System.out.println("LmdbCrashIT: " + kills + " kills, " + acked + " acknowledged operations checked, final log "
                + model + "; operations in flight found committed after the kill: " + inFlightApplied);
    }
}
