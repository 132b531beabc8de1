package io.flotilla.core.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import io.flotilla.core.KvStateMachine;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.testkit.mem.MemStorage;
import java.io.DataOutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoveryTest {
    private static final NodeId N1 = NodeId.of("n1");
    private final MemStorage storage = MemStorage.create(N1);
    private final KvStateMachine stateMachine = new KvStateMachine();

    private static ClusterConfig config(String... ids) {
        Map<NodeId, URI> m = new java.util.TreeMap<>();
        for (String id : ids) {
            m.put(NodeId.of(id), URI.create("mem://" + id));
        }
        return ClusterConfig.ofVoters(m);
    }

    @Test
    void recover_emptyStorage_startsFromBootstrap() throws Exception {
        Recovery.Recovered r = Recovery.recover(storage, stateMachine, config("n1", "n2", "n3"));
        assertEquals(HardState.INITIAL, r.initial().hardState());
        assertEquals(config("n1", "n2", "n3"), r.initial().config());
        assertEquals(0, r.initial().appliedIndex());
        assertEquals(0, r.lastIndex());
    }

    @Test
    void recover_logWithConfigurations_usesTheLatestOneScanningBack() throws Exception {
        storage.state().save(HardState.of(7, N1));
        List<LogEntry> entries = new ArrayList<>();
        entries.add(LogEntry.configuration(1, 1, config("n1", "n2")));
        entries.add(LogEntry.configuration(2, 1, config("n1", "n2", "n4")));
        for (long i = 3; i <= 700; i++) {
            entries.add(LogEntry.command(i, 2, Bytes.ofUtf8("set k" + i + " v")));
        }
        storage.log().append(entries);
        Recovery.Recovered r = Recovery.recover(storage, stateMachine, config("n1", "n2", "n3"));
        assertEquals(HardState.of(7, N1), r.initial().hardState());
        assertEquals(config("n1", "n2", "n4"), r.initial().config(), "found across several scan chunks");
        assertEquals(700, r.lastIndex());
        assertEquals(0, r.initial().appliedIndex(), "log entries are re-applied as they commit again");
        assertEquals(List.of(), stateMachine.appliedIndices());
    }

    @Test
    void recover_snapshot_restoresStateMachineAndUsesItsConfig() throws Exception {
        SnapshotMeta meta = new SnapshotMeta(50, 3, config("n1", "n5"));
        try (SnapshotWriter w = storage.snapshots().create(meta, SnapshotKind.FULL)) {
            io.flotilla.core.internal.snapshot.SnapshotFormat.writeHeader(w.output());
            DataOutputStream out = new DataOutputStream(
                    io.flotilla.core.internal.snapshot.SnapshotFormat.beginPart(w.output(), SnapshotKind.FULL, meta));
            out.writeInt(1);
            out.writeUTF("x");
            out.writeUTF("42");
            out.close();
            io.flotilla.core.internal.snapshot.SnapshotFormat.writeEnd(w.output());
            w.commit();
        }
        storage.log().compactPrefix(50);
        storage.log().append(List.of(LogEntry.command(51, 3, Bytes.ofUtf8("set y 1"))));
        Recovery.Recovered r = Recovery.recover(storage, stateMachine, config("n1", "n2", "n3"));
        assertEquals("42", stateMachine.get("x"));
        assertEquals(50, r.initial().snapshotIndex());
        assertEquals(3, r.initial().snapshotTerm());
        assertEquals(50, r.initial().appliedIndex());
        assertEquals(config("n1", "n5"), r.initial().config());
        assertEquals(51, r.lastIndex());
    }
}
