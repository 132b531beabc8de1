package io.flotilla.store.lmdb.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds command lines for child JVMs that run this module's code (main and test classes), on the class path or on
 * the module path, from the class and module paths Surefire/Failsafe gave the test JVM. Stateless.
 */
final class ChildJvm {
    private ChildJvm() {}

    private static List<String> entries(String property) {
        List<String> out = new ArrayList<>();
        String v = System.getProperty(property, "");
        for (String e : v.split(File.pathSeparator)) {
            if (!e.isBlank() && !e.contains("surefire") && !e.contains("failsafe")) {
                out.add(e);
            }
        }
        return out;
    }

    private static String testClasses() {
        return System.getProperty("lmdb.test.classes", "target/test-classes");
    }

    private static String mainClasses() {
        return System.getProperty("lmdb.main.classes", "target/classes");
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Flags JDK 24+ wants for native access and Unsafe (warnings otherwise); unknown to JDK 17. */
    static List<String> jdkExtraFlags(String nativeAccessTarget) {
        if (Runtime.version().feature() >= 24) {
            return List.of("--enable-native-access=" + nativeAccessTarget, "--sun-misc-unsafe-memory-access=allow");
        }
        return List.of();
    }

    /**
     * A class-path launch of {@code mainClass}: test classes, main classes and every dependency on {@code -cp}.
     *
     * @param withLmdbFlags whether to add the {@code --add-opens ...=ALL-UNNAMED} flags lmdbjava needs
     */
    static List<String> classPath(boolean withLmdbFlags, String mainClass, String... args) {
        Set<String> cp = new LinkedHashSet<>();
        cp.add(testClasses());
        cp.add(mainClasses());
        cp.addAll(entries("jdk.module.path"));
        cp.addAll(entries("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:+UseSerialGC", "-Xshare:auto"));
        cmd.addAll(jdkExtraFlags("ALL-UNNAMED"));
        if (withLmdbFlags) {
            cmd.addAll(List.of("--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens",
                    "java.base/sun.nio.ch=ALL-UNNAMED"));
        }
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * A module-path launch of {@code mainClass} in module {@code io.flotilla.store.lmdb}, with the test classes
     * patched in and the {@code org.lmdbjava:native} jar (not a valid module name) on the class path, as a user's
     * launch would have it.
     *
     * @param withLmdbFlags whether to add the {@code --add-opens ...=lmdbjava} flags
     */
    static List<String> modulePath(boolean withLmdbFlags, String mainClass, String... args) {
        Set<String> mp = new LinkedHashSet<>();
        List<String> cp = new ArrayList<>();
        mp.add(mainClasses());
        for (String e : concat(entries("jdk.module.path"), entries("java.class.path"))) {
            String name = Path.of(e).getFileName().toString();
            if (name.startsWith("native-") && name.endsWith(".jar")) {
                cp.add(e);
            } else if (name.startsWith("flotilla-store-lmdb") || e.equals(testClasses())
                    || e.equals(mainClasses()) || !Files.exists(Path.of(e))) {
                continue; // this module comes from its classes directory
            } else if (name.endsWith(".jar") || Files.isDirectory(Path.of(e))) {
                mp.add(e);
            }
        }
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:+UseSerialGC"));
        cmd.addAll(jdkExtraFlags("ALL-UNNAMED,org.jnrproject.jffi"));
        if (withLmdbFlags) {
            cmd.addAll(List.of("--add-opens", "java.base/java.nio=lmdbjava", "--add-opens",
                    "java.base/sun.nio.ch=lmdbjava"));
        }
        cmd.addAll(List.of("-p", String.join(File.pathSeparator, mp), "--patch-module",
                "io.flotilla.store.lmdb=" + testClasses()));
        if (!cp.isEmpty()) {
            cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp)));
        }
        cmd.addAll(List.of("-m", "io.flotilla.store.lmdb/" + mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
