package io.flotilla.store.lmdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user's launch gets: with the documented flags the store works on the class path and on a pure module
 * path; without them, opening fails with {@link io.flotilla.store.lmdb.LmdbSetupException} naming the exact flags
 * for that launch (never a native crash or a bare {@code InaccessibleObjectException}). Child JVMs; real time.
 */
class LmdbLaunchIT {
    @TempDir
    Path dir;

    private record Result(int exit, String out) {}

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not exit: " + out);
        return new Result(p.exitValue(), out);
    }

    @Test
    void classPath_withoutFlags_failsAtOpen_namingTheAllUnnamedFlags() throws Exception {
        Result r = run(ChildJvm.classPath(false, LmdbLaunchProbe.class.getName(), dir.toString()));
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.out().contains("SETUP --add-opens java.base/java.nio=ALL-UNNAMED --add-opens "
                + "java.base/sun.nio.ch=ALL-UNNAMED|"), r.out());
    }

    @Test
    void classPath_withFlags_works() throws Exception {
        Result r = run(ChildJvm.classPath(true, LmdbLaunchProbe.class.getName(), dir.toString()));
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("OK 1 module=false"), r.out());
    }

    @Test
    void modulePath_withoutFlags_failsAtOpen_namingTheLmdbjavaFlags() throws Exception {
        Result r = run(ChildJvm.modulePath(false, LmdbLaunchProbe.class.getName(), dir.toString()));
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.out().contains("SETUP --add-opens java.base/java.nio=lmdbjava --add-opens "
                + "java.base/sun.nio.ch=lmdbjava|"), r.out());
    }

    @Test
    void modulePath_withFlags_works_andKeepsDataAcrossLaunches() throws Exception {
        Result first = run(ChildJvm.modulePath(true, LmdbLaunchProbe.class.getName(), dir.toString()));
        assertEquals(0, first.exit(), first.out());
        assertTrue(first.out().contains("OK 1 module=true"), first.out());
        Result second = run(ChildJvm.modulePath(true, LmdbLaunchProbe.class.getName(), dir.toString()));
        assertTrue(second.out().contains("OK 2 module=true"), second.out());
    }
}
