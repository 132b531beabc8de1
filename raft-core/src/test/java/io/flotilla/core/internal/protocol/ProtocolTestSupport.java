package io.flotilla.core.internal.protocol;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.message.RaftMessage;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Small helpers for tests that drive a single {@link RaftProtocol} by hand. */
final class ProtocolTestSupport {
    static final NodeId N1 = NodeId.of("1");
    static final NodeId N2 = NodeId.of("2");
    static final NodeId N3 = NodeId.of("3");

    private ProtocolTestSupport() {}

    static RaftConfig config(boolean preVote, boolean checkQuorum) {
        return RaftConfig.newBuilder().electionTicks(10).heartbeatTicks(2).preVote(preVote).checkQuorum(checkQuorum)
                .build();
    }

    static ClusterConfig voters(int n) {
        TreeMap<NodeId, URI> addr = new TreeMap<>();
        for (int i = 1; i <= n; i++) {
            addr.put(NodeId.of(Integer.toString(i)), URI.create("mem://" + i));
        }
        return ClusterConfig.ofVoters(addr);
    }

    /** A node with the given durable log (entries of the given terms) and hard state. */
    static RaftProtocol node(NodeId self, int clusterSize, RaftConfig cfg, MemoryStableLog disk, Set<SeededBug> bugs) {
        ProtocolParams params = new ProtocolParams(self, cfg, new SplittableRandom(42), bugs);
        return new RaftProtocol(params, disk, new InitialState(disk.hardState(), voters(clusterSize), 0, 0, 0));
    }

    static RaftProtocol node(NodeId self, int clusterSize, RaftConfig cfg, MemoryStableLog disk) {
        return node(self, clusterSize, cfg, disk, EnumSet.noneOf(SeededBug.class));
    }

    static MemoryStableLog disk(long hardTerm, long... terms) {
        MemoryStableLog d = new MemoryStableLog();
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            entries.add(LogEntry.command(i + 1, terms[i], Bytes.ofUtf8("e" + (i + 1))));
        }
        d.replaceAll(entries);
        d.setHardState(HardState.of(hardTerm));
        return d;
    }

    static List<LogEntry> entries(long firstIndex, long... terms) {
        List<LogEntry> out = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            out.add(LogEntry.command(firstIndex + i, terms[i], Bytes.ofUtf8("n" + (firstIndex + i))));
        }
        return out;
    }

    /** Takes one Ready, persists it to {@code disk}, reports it durable, advances; returns it. */
    static Ready drain(RaftProtocol p, MemoryStableLog disk) {
        Ready rd = p.ready();
        disk.persist(rd);
        p.advance(rd);
        if (!rd.entriesToPersist().isEmpty()) {
            LogEntry last = rd.entriesToPersist().get(rd.entriesToPersist().size() - 1);
            p.persisted(last.index(), last.term());
        }
        return rd;
    }

    /** All messages of a Ready, now then after-persist. */
    static List<RaftMessage> messages(Ready rd) {
        List<RaftMessage> all = new ArrayList<>(rd.messagesNow());
        all.addAll(rd.messagesAfterPersist());
        return all;
    }

    @SuppressWarnings("unchecked")
    static <T extends RaftMessage> List<T> ofType(List<RaftMessage> msgs, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (RaftMessage m : msgs) {
            if (type.isInstance(m)) {
                out.add((T) m);
            }
        }
        return out;
    }
}
