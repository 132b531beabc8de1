package io.flotilla.wire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.flotilla.ClusterId;
import io.flotilla.message.RaftMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer over the saved corpus in {@code src/test/resources/fuzz-corpus}, run on every build.
 *
 * <p>Property: every input either decodes to a message that re-encodes and decodes to itself, or makes the
 * decoder throw {@link WireFormatException}; nothing else (no NPE, IAE, OOM, hang). Mutations: bit flips, random
 * bytes, truncation, deletion and insertion of ranges, length-prefix inflation, varint tampering, splicing two
 * corpus files, duplication, and fully random input.
 *
 * <p>Seed: fixed by default ({@link #DEFAULT_SEED}) so that the regular build is reproducible; always printed.
 * Explore other inputs, or replay a run, with {@code -Dwire.fuzz.seed=N}; more iterations with
 * {@code -Dwire.fuzz.iterations=N}.
 * Regenerate the corpus (after a schema change) with {@code -Dwire.fuzz.regenerate=true}.
 * (Jazzer was not used: its JUnit integration is not a named module and needs an agent; see docs.)
 */
class WireFuzzTest {
    /** The seed of the regular build; override with {@code -Dwire.fuzz.seed=N}. */
    static final long DEFAULT_SEED = 0x0F107111AL;
    private static final Path CORPUS = Path.of("src", "test", "resources", "fuzz-corpus");
    private static final ClusterId CLUSTER = ClusterId.of("fuzz-cluster");

    private final WireCodec codec = new WireCodec(new WireLimits(1 << 20, 1000));

    @Test
    void decode_mutatedCorpus_decodesOrThrowsWireFormatException() throws IOException {
        if (Boolean.getBoolean("wire.fuzz.regenerate")) {
            regenerate();
        }
        List<byte[]> corpus = loadCorpus();
        assertTrue(corpus.size() >= RaftMessage.class.getPermittedSubclasses().length,
                "corpus must hold at least one encoding of every message type, found " + corpus.size());
        long seed = Long.getLong("wire.fuzz.seed", DEFAULT_SEED);
        int iterations = Integer.getInteger("wire.fuzz.iterations", 40_000);
        System.out.println("WireFuzzTest seed=" + seed + " iterations=" + iterations + " (replay: -Dwire.fuzz.seed="
                + seed + ")");
        Random r = new Random(seed);
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] input = mutate(corpus, r);
            try {
                WireMessage m = codec.decode(input);
                WireMessage again = codec.decode(codec.encode(m.clusterId(), m.message()));
                assertEquals(m, again, "decoded message does not round-trip");
                decoded++;
            } catch (WireFormatException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
                rejected++;
            } catch (Throwable t) {
                fail("seed " + seed + " iteration " + i + ": decoder threw " + t + " for input "
                        + HexFormat.of().formatHex(input), t);
            }
        }
        System.out.println("WireFuzzTest decoded=" + decoded + " rejected=" + rejected);
        assertTrue(decoded > 0 && rejected > 0, "the mutations should produce both valid and invalid inputs");
    }

    @Test
    void decode_savedCorpus_decodesCleanly() throws Exception {
        for (byte[] input : loadCorpus()) {
            WireMessage m = codec.decode(input);
            assertEquals(CLUSTER, m.clusterId());
        }
    }

    static byte[] mutate(List<byte[]> corpus, Random r) {
        byte[] in = corpus.get(r.nextInt(corpus.size())).clone();
        int rounds = 1 + r.nextInt(3);
        for (int k = 0; k < rounds; k++) {
            in = mutateOnce(in, corpus, r);
        }
        return in;
    }

    private static byte[] mutateOnce(byte[] in, List<byte[]> corpus, Random r) {
        int n = in.length;
        switch (r.nextInt(10)) {
            case 0: // bit flip
                if (n > 0) {
                    in[r.nextInt(n)] ^= (byte) (1 << r.nextInt(8));
                }
                return in;
            case 1: // random byte
                if (n > 0) {
                    in[r.nextInt(n)] = (byte) r.nextInt(256);
                }
                return in;
            case 2: // truncate
                return java.util.Arrays.copyOf(in, n == 0 ? 0 : r.nextInt(n));
            case 3: { // delete a range
                if (n < 2) {
                    return in;
                }
                int from = r.nextInt(n);
                int len = 1 + r.nextInt(Math.min(16, n - from));
                byte[] out = new byte[n - len];
                System.arraycopy(in, 0, out, 0, from);
                System.arraycopy(in, from + len, out, from, n - from - len);
                return out;
            }
            case 4: { // insert random bytes
                int at = n == 0 ? 0 : r.nextInt(n + 1);
                byte[] ins = new byte[1 + r.nextInt(8)];
                r.nextBytes(ins);
                return splice(in, at, ins);
            }
            case 5: { // length inflation: replace a byte with a long varint continuation
                if (n == 0) {
                    return in;
                }
                int at = r.nextInt(n);
                byte[] big = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) (r.nextBoolean() ? 0x07 : 0x0f)};
                return splice(in, at, big);
            }
            case 6: { // max varint (negative values / 10-byte varints)
                int at = n == 0 ? 0 : r.nextInt(n);
                byte[] v = new byte[10];
                java.util.Arrays.fill(v, (byte) 0xff);
                v[9] = (byte) (r.nextBoolean() ? 0x01 : 0x7f);
                return splice(in, at, v);
            }
            case 7: { // splice with another corpus input
                byte[] other = corpus.get(r.nextInt(corpus.size()));
                int cut = n == 0 ? 0 : r.nextInt(n);
                int ocut = other.length == 0 ? 0 : r.nextInt(other.length);
                byte[] out = new byte[cut + other.length - ocut];
                System.arraycopy(in, 0, out, 0, cut);
                System.arraycopy(other, ocut, out, cut, other.length - ocut);
                return out;
            }
            case 8: { // duplicate a range (repeated fields, repeated oneof cases)
                if (n == 0) {
                    return in;
                }
                int from = r.nextInt(n);
                int len = 1 + r.nextInt(n - from);
                return splice(in, r.nextInt(n + 1), java.util.Arrays.copyOfRange(in, from, from + len));
            }
            default: { // fully random
                byte[] out = new byte[r.nextInt(64)];
                r.nextBytes(out);
                return out;
            }
        }
    }

    private static byte[] splice(byte[] in, int at, byte[] ins) {
        byte[] out = new byte[in.length + ins.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(in, at, out, at + ins.length, in.length - at);
        return out;
    }

    private static List<byte[]> loadCorpus() throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".bin")).sorted().collect(Collectors.toList())) {
                out.add(Files.readAllBytes(p));
            }
        }
        return out;
    }

    private void regenerate() throws IOException {
        Files.createDirectories(CORPUS);
        Random r = new Random(20261123);
        for (Class<?> type : RaftMessage.class.getPermittedSubclasses()) {
            for (int i = 0; i < 2; i++) {
                try {
                    byte[] bytes = codec.encode(CLUSTER, WireSamples.sample(type, r));
                    Files.write(CORPUS.resolve(type.getSimpleName() + "-" + i + ".bin"), bytes);
                } catch (WireFormatException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }
}
