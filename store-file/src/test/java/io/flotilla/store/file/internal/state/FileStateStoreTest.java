package io.flotilla.store.file.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flotilla.HardState;
import io.flotilla.NodeId;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.StoreFailedException;
import io.flotilla.store.file.internal.io.SimFileIO;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FileStateStoreTest {
    private static final Path DIR = Path.of("/sim/state");
    private final SimFileIO disk = new SimFileIO();

    @Test
    void save_writesTheOlderSlot_soATornSaveKeepsThePreviousState() throws IOException {
        FileStateStore s = FileStateStore.open(disk, DIR);
        s.save(HardState.of(1));
        s.save(HardState.of(2, NodeId.of("n3")));
        SimFileIO[] crash = new SimFileIO[1];
        disk.onOperation(op -> {
            if (op.startsWith("write")) {
                crash[0] = disk.crash(0, 0, false);
            }
        });
        s.save(HardState.of(3));
        assertEquals(HardState.of(2, NodeId.of("n3")), FileStateStore.open(crash[0], DIR).load());
        assertEquals(HardState.of(3), FileStateStore.open(disk, DIR).load());
    }

    @Test
    void bothSlotsBad_refusesToOpen_neverTermZero() throws IOException {
        FileStateStore s = FileStateStore.open(disk, DIR);
        s.save(HardState.of(5));
        s.close();
        disk.flipBit(DIR.resolve(FileStateStore.FILE), 20, 1);
        disk.flipBit(DIR.resolve(FileStateStore.FILE), 512 + 20, 1);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> FileStateStore.open(disk, DIR));
        assertEquals(DIR.resolve(FileStateStore.FILE).toString(), e.location());
    }

    @Test
    void failedFlush_failsForGood() throws IOException {
        FileStateStore s = FileStateStore.open(disk, DIR);
        disk.failForce(p -> true);
        assertThrows(StoreFailedException.class, () -> s.save(HardState.of(1)));
        disk.failForce(p -> false);
        assertThrows(StoreFailedException.class, () -> s.save(HardState.of(1)));
        assertThrows(StoreFailedException.class, s::load);
    }
}
