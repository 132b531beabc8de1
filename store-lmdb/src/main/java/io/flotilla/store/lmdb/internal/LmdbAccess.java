package io.flotilla.store.lmdb.internal;

import io.flotilla.store.lmdb.LmdbSetupException;
import java.util.ArrayList;
import java.util.List;
import org.lmdbjava.Env;

/**
 * Checks, before lmdbjava's first native call, that the JVM grants what lmdbjava needs: {@code java.base}'s
 * {@code java.nio} and {@code sun.nio.ch} opened to lmdbjava's module (its buffer proxy reads the address field
 * of direct buffers). Without them lmdbjava would fail deep in a static initializer; this check names the exact
 * flags instead, for the module path ({@code =lmdbjava}) or the class path ({@code =ALL-UNNAMED}). Stateless and
 * thread-safe.
 */
final class LmdbAccess {
    private static final String[] PACKAGES = {"java.nio", "sun.nio.ch"};

    private LmdbAccess() {}

    /**
     * Returns the flags the running JVM still lacks.
     *
     * @return the missing {@code --add-opens} flags; empty when lmdbjava can run
     */
    static List<String> missingFlags() {
        Module lmdb = Env.class.getModule();
        Module base = Object.class.getModule();
        String target = lmdb.isNamed() ? lmdb.getName() : "ALL-UNNAMED";
        List<String> missing = new ArrayList<>();
        for (String p : PACKAGES) {
            if (!base.isOpen(p, lmdb)) {
                missing.add("--add-opens java.base/" + p + "=" + target);
            }
        }
        return missing;
    }

    /**
     * Throws if lmdbjava cannot run in this JVM.
     *
     * @throws LmdbSetupException naming the missing flags
     */
    static void check() throws LmdbSetupException {
        List<String> missing = missingFlags();
        if (!missing.isEmpty()) {
            throw new LmdbSetupException("the LMDB store needs JVM flags this launch lacks: " + String.join(" ", missing)
                    + " (lmdbjava reads direct-buffer addresses from java.base; see docs/store-lmdb.md)", missing,
                    null);
        }
    }

    /** Whether a runtime failure of lmdbjava's initialization is a module-access problem. */
    static boolean isAccessFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.lang.reflect.InaccessibleObjectException || c instanceof IllegalAccessException) {
                return true;
            }
        }
        return false;
    }

    /** Wraps a failure to initialize lmdbjava (native library or access) in a typed exception. */
    static LmdbSetupException unavailable(Throwable cause) {
        String arch = System.getProperty("os.arch") + "-" + System.getProperty("os.name");
        if (isAccessFailure(cause)) {
            List<String> flags = List.of("--add-opens java.base/java.nio=" + target(),
                    "--add-opens java.base/sun.nio.ch=" + target());
            return new LmdbSetupException("lmdbjava cannot access java.base: add " + String.join(" ", flags)
                    + " (see docs/store-lmdb.md)", flags, cause);
        }
        return new LmdbSetupException("lmdbjava cannot load the native LMDB library on " + arch + ": " + cause
                + " (the org.lmdbjava:native jar must be on the class path; it ships x86_64/aarch64 Linux (glibc, musl),"
                + " macOS and x86_64 Windows builds; see docs/store-lmdb.md)", List.of(), cause);
    }

    private static String target() {
        Module lmdb = Env.class.getModule();
        return lmdb.isNamed() ? lmdb.getName() : "ALL-UNNAMED";
    }
}
