package io.flotilla.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flotilla.HardState;
import io.flotilla.NodeId;
import io.flotilla.spi.StateStore;
import io.flotilla.testkit.internal.RandomRuns;
import io.flotilla.testkit.internal.StateStoreRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link StateStore} must pass. Extend it and implement {@link #openState(Path)}:
 *
 * <pre>{@code
 * class FileStateStoreTest extends StateStoreContract {
 *     @Override
 *     protected StateStore openState(Path dir) throws IOException {
 *         return FileStateStore.open(dir);
 *     }
 * }
 * }</pre>
 *
 * <p>Checks: {@link HardState#INITIAL} for a new store; save/load round trip (with and without a vote);
 * durability across close and reopen; after many saves, a reopen returns the last one (seeded; a failure is
 * shrunk to a short list of saves and reopens; replay with {@code -Dflotilla.testkit.seed=N}); {@code close} is
 * idempotent.
 *
 * <p><b>Threading:</b> single-threaded. <b>Blocking:</b> bounded by a small number of saves. <b>Failure:</b>
 * an {@link AssertionError} naming the rule.
 */
public abstract class StateStoreContract {
    /** A fresh directory per test, handed to {@link #openState(Path)}. */
    @TempDir
    protected Path tempDir;

    private final List<StateStore> opened = new ArrayList<>();

    /** Creates the suite. */
    protected StateStoreContract() {}

    /**
     * Opens the state store kept in {@code dir}, creating it if the directory is empty. Called again with the
     * same directory after the previous store there was closed: it must return what was saved last.
     *
     * @param dir an existing directory owned by this test
     * @return the opened store
     * @throws IOException if opening fails
     */
    protected abstract StateStore openState(Path dir) throws IOException;

    /**
     * Closes every store the suite opened.
     *
     * @throws IOException if closing fails
     */
    @AfterEach
    public void closeOpenedStores() throws IOException {
        for (StateStore s : opened) {
            s.close();
        }
        opened.clear();
    }

    private StateStore open(Path dir) throws IOException {
        StateStore s = openState(dir);
        opened.add(s);
        return s;
    }

    private StateStore reopen(StateStore s, Path dir) throws IOException {
        s.close();
        return open(dir);
    }

    /**
     * A new store loads HardState.INITIAL, also after reopen.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void newStore_loadsInitial() throws IOException {
        StateStore s = open(tempDir);
        assertEquals(HardState.INITIAL, s.load());
        assertEquals(HardState.INITIAL, reopen(s, tempDir).load(), "a store that never saved stays INITIAL");
    }

    /**
     * save then load returns the saved state, with or without a vote.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void save_thenLoad_returnsTheSavedState() throws IOException {
        StateStore s = open(tempDir);
        HardState voted = HardState.of(3, NodeId.of("n2"));
        s.save(voted);
        assertEquals(voted, s.load());
        HardState noVote = HardState.of(4);
        s.save(noVote);
        assertEquals(noVote, s.load(), "a state without a vote replaces one with a vote");
        HardState longId = HardState.of(Long.MAX_VALUE, NodeId.of("a-very.long_node-id-" + "x".repeat(40)));
        s.save(longId);
        assertEquals(longId, s.load(), "extreme term and a 60-character id");
    }

    /**
     * A saved state survives close and reopen.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void save_isDurableAcrossReopen() throws IOException {
        StateStore s = open(tempDir);
        HardState st = HardState.of(7, NodeId.of("n3"));
        s.save(st);
        StateStore reopened = reopen(s, tempDir);
        assertEquals(st, reopened.load());
        reopened.save(HardState.of(8));
        assertEquals(HardState.of(8), reopen(reopened, tempDir).load(), "a save after reopen is durable too");
    }

    /**
     * After many saves (and reopens among them), a reopen returns the last save.
     *
     * @throws Exception if the backend fails unexpectedly
     */
    @Test
    public void manySaves_thenReopen_returnsTheLastOne() throws Exception {
        RandomRuns.repeat(getClass().getSimpleName() + ".manySaves_thenReopen_returnsTheLastOne", 5,
                Duration.ofSeconds(2), (run, seed) -> RandomRuns.runAndShrink(StateStoreRun.generate(seed),
                        (ops, attempt) -> new StateStoreRun(this::open,
                                Files.createDirectories(tempDir.resolve("saves-" + run + "-" + attempt)), ops).run(),
                        StateStoreRun::simpler));
    }

    /**
     * close() is idempotent and the data stays for the next open.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void close_isIdempotent() throws IOException {
        StateStore s = open(tempDir);
        s.save(HardState.of(1));
        s.close();
        s.close();
        assertEquals(HardState.of(1), open(tempDir).load());
    }
}
