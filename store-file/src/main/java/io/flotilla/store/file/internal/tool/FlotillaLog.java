package io.flotilla.store.file.internal.tool;

import io.flotilla.EntryKind;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.store.file.internal.FileStorage;
import io.flotilla.store.file.internal.io.FileHandle;
import io.flotilla.store.file.internal.io.RealFileIO;
import io.flotilla.store.file.internal.log.LogFormat;
import io.flotilla.store.file.internal.log.LogFormat.SegmentHeader;
import io.flotilla.store.file.internal.log.SegmentScanner;
import io.flotilla.store.file.internal.state.FileStateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code flotilla-log}, the offline tool for a stopped node's {@code file:} store directory. Never writes.
 *
 * <pre>
 * flotilla-log verify &lt;dir&gt;                 check every checksum and the continuity of indices
 * flotilla-log dump &lt;dir&gt; [--from N] [--to N] [--payload]   print the log entries
 * </pre>
 *
 * {@code <dir>} is the node directory (holding {@code log/}, {@code state/}, {@code snapshots/}) or a log
 * directory. Exit status: 0 all good (a torn tail, which the store truncates on open, is only a warning),
 * 1 corruption found, 2 usage error or unreadable directory.
 */
public final class FlotillaLog {
    /** Exit status: no corruption. */
    public static final int OK = 0;
    /** Exit status: corruption found. */
    public static final int CORRUPT = 1;
    /** Exit status: bad arguments or no store. */
    public static final int USAGE = 2;

    private static final String HELP = "usage: flotilla-log verify <dir>\n"
            + "       flotilla-log dump <dir> [--from N] [--to N] [--payload]";

    private final PrintStream out;
    private final PrintStream err;
    private int problems;
    private int warnings;

    private FlotillaLog(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the tool and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the tool.
     *
     * @param args the command line
     * @param out where results go
     * @param err where errors go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2) {
            err.println(HELP);
            return USAGE;
        }
        Path dir = Path.of(args[1]);
        if (!Files.isDirectory(dir)) {
            err.println("not a directory: " + dir);
            return USAGE;
        }
        FlotillaLog tool = new FlotillaLog(out, err);
        try {
            switch (args[0]) {
                case "verify":
                    if (args.length != 2) {
                        err.println(HELP);
                        return USAGE;
                    }
                    return tool.verify(dir);
                case "dump":
                    long from = 0;
                    long to = Long.MAX_VALUE;
                    boolean payload = false;
                    for (int i = 2; i < args.length; i++) {
                        switch (args[i]) {
                            case "--from":
                                from = Long.parseLong(args[++i]);
                                break;
                            case "--to":
                                to = Long.parseLong(args[++i]);
                                break;
                            case "--payload":
                                payload = true;
                                break;
                            default:
                                err.println("unknown option " + args[i] + "\n" + HELP);
                                return USAGE;
                        }
                    }
                    return tool.dump(dir, from, to, payload);
                default:
                    err.println("unknown command " + args[0] + "\n" + HELP);
                    return USAGE;
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            err.println("bad option value\n" + HELP);
            return USAGE;
        } catch (IOException e) {
            err.println("error: " + e);
            return e instanceof CorruptedStoreException ? CORRUPT : USAGE;
        }
    }

    private static Path logDir(Path dir) {
        Path log = dir.resolve(FileStorage.LOG_DIR);
        return Files.isDirectory(log) ? log : dir;
    }

    private static List<Path> segments(Path logDir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(logDir)) {
            s.filter(p -> LogFormat.parseSegmentName(p.getFileName().toString()) >= 0).sorted().forEach(out::add);
        }
        return out;
    }

    private void problem(String what) {
        problems++;
        out.println("CORRUPT " + what);
    }

    private void warning(String what) {
        warnings++;
        out.println("WARNING " + what);
    }

    private int verify(Path dir) throws IOException {
        Path logDir = logDir(dir);
        List<Path> segs = segments(logDir);
        if (segs.isEmpty() && !Files.isDirectory(dir.resolve(FileStorage.STATE_DIR))) {
            err.println("no flotilla store in " + dir);
            return USAGE;
        }
        walkLog(segs, 0, Long.MAX_VALUE, null);
        verifyState(dir.resolve(FileStorage.STATE_DIR));
        verifySnapshots(dir.resolve(FileStorage.SNAPSHOT_DIR));
        out.println((problems == 0 ? "OK" : "CORRUPTION FOUND") + ": " + problems + " problem(s), " + warnings
                + " warning(s)");
        return problems == 0 ? OK : CORRUPT;
    }

    private interface EntryPrinter {
        void print(long index, long term, int kind, int length, ByteBuffer buf, int at);
    }

    /** Walks the segments as recovery does, reporting problems instead of throwing. */
    private void walkLog(List<Path> segs, long from, long to, EntryPrinter printer) throws IOException {
        RealFileIO io = RealFileIO.INSTANCE;
        List<SegmentHeader> headers = new ArrayList<>();
        for (Path p : segs) {
            try (FileHandle h = io.openReadOnly(p)) {
                String[] why = new String[1];
                SegmentHeader sh = SegmentScanner.header(h, why);
                if (sh == null) {
                    problem(p + " at offset 0: " + why[0]);
                } else if (sh.firstIndex() != LogFormat.parseSegmentName(p.getFileName().toString())) {
                    problem(p + " at offset 0: header first index " + sh.firstIndex() + " does not match the name");
                    sh = null;
                } else if (h.size() < sh.size()) {
                    problem(p + " at offset " + h.size() + ": file is shorter than its preallocated " + sh.size()
                            + " bytes: it was cut");
                    sh = null;
                }
                headers.add(sh);
            }
        }
        int start = 0;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i) != null && headers.get(i).reset()) {
                start = i;
            }
        }
        for (int i = 0; i < start; i++) {
            warning(segs.get(i) + " is obsolete (before a reset segment); the next open deletes it");
        }
        long entries = 0;
        for (int i = start; i < segs.size(); i++) {
            SegmentHeader sh = headers.get(i);
            if (sh == null) {
                continue;
            }
            Path p = segs.get(i);
            boolean last = i == segs.size() - 1;
            long stopAfter = last ? Long.MAX_VALUE
                    : headers.get(i + 1) == null ? Long.MAX_VALUE : headers.get(i + 1).firstIndex() - 1;
            if (stopAfter < sh.firstIndex()) {
                problem(p + ": segment overlaps the next one");
                continue;
            }
            long[] count = new long[1];
            try (FileHandle h = io.openReadOnly(p)) {
                SegmentScanner.Result r = SegmentScanner.scan(h, sh, stopAfter, (index, term, offset, size, buf, at) -> {
                    count[0]++;
                    if (printer != null && index >= from && index < to) {
                        printer.print(index, term, buf.get(at + 32), LogFormat.payloadLength(buf, at), buf, at);
                    }
                });
                entries += count[0];
                if (printer == null) {
                    out.println("segment " + p.getFileName() + ": entries " + sh.firstIndex() + ".." + r.lastIndex()
                            + (sh.reset() ? " (reset)" : ""));
                }
                if (r.problem() == null) {
                    continue;
                }
                if (!last && stopAfter != Long.MAX_VALUE) {
                    problem(p + " at offset " + r.end() + ": " + r.detail() + "; sealed segment must reach index "
                            + stopAfter);
                } else if (last) {
                    SegmentScanner.Tail t = SegmentScanner.classifyTail(h, r.end(), r.lastIndex() + 1);
                    if (t.kind() == SegmentScanner.TailKind.TORN) {
                        warning(p + " at offset " + r.end() + ": torn write of " + (t.garbageEnd() - r.end())
                                + " bytes (" + t.detail() + "); truncated on the next open");
                    } else if (t.kind() == SegmentScanner.TailKind.CORRUPT) {
                        problem(p + " at offset " + r.end() + ": " + r.detail() + "; " + t.detail());
                    }
                }
            }
        }
        if (printer == null) {
            out.println("log: " + segs.size() + " segment(s), " + entries + " entries checked");
        }
    }

    private void verifyState(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FileStateStore.FILE);
        if (!Files.exists(file)) {
            out.println("hard state: none");
            return;
        }
        try (FileStateStore s = FileStateStore.open(RealFileIO.INSTANCE, stateDir)) {
            out.println("hard state: " + s.load());
        } catch (CorruptedStoreException e) {
            problem(e.getMessage());
        }
    }

    private void verifySnapshots(Path snapDir) throws IOException {
        if (!Files.isDirectory(snapDir)) {
            return;
        }
        List<String> problemsFound = io.flotilla.store.file.internal.snapshot.SnapshotCheck.verifyAll(snapDir, out);
        for (String p : problemsFound) {
            problem(p);
        }
    }

    private int dump(Path dir, long from, long to, boolean payload) throws IOException {
        List<Path> segs = segments(logDir(dir));
        if (segs.isEmpty()) {
            err.println("no log segments in " + logDir(dir));
            return USAGE;
        }
        walkLog(segs, from, to, (index, term, kind, length, buf, at) -> {
            StringBuilder line = new StringBuilder();
            line.append(index).append('\t').append(term).append('\t');
            try {
                line.append(EntryKind.fromCode(kind));
            } catch (IllegalArgumentException e) {
                line.append("kind?").append(kind);
            }
            line.append('\t').append(length);
            if (payload) {
                line.append('\t');
                int shown = Math.min(length, 64);
                for (int k = 0; k < shown; k++) {
                    line.append(String.format("%02x", buf.get(at + LogFormat.RECORD_HEADER_BYTES + k)));
                }
                if (shown < length) {
                    line.append("...");
                }
            }
            out.println(line);
        });
        return problems == 0 ? OK : CORRUPT;
    }
}
