package io.flotilla.core.internal.loop;

import io.flotilla.ClusterConfig;
import io.flotilla.HardState;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.core.internal.protocol.InitialState;
import io.flotilla.core.internal.protocol.ProtocolParams;
import io.flotilla.core.internal.protocol.RaftProtocol;
import io.flotilla.testkit.mem.MemStorage;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips (never passes) tests that need the protocol core while it is still the skeleton whose bodies throw
 * {@link UnsupportedOperationException}; once the protocol is in, the tests run.
 */
public final class ProtocolAvailability {
    private ProtocolAvailability() {}

    /** Aborts the calling test (reported as skipped) if the protocol core is not implemented yet. */
    public static void assumeProtocol() {
        boolean available;
        try {
            NodeId n = NodeId.of("probe");
            new RaftProtocol(new ProtocolParams(n, RaftConfig.defaults(), new SplittableRandom(1), Set.of()),
                    new LogStoreStableLog(MemStorage.create(n).log()),
                    new InitialState(HardState.INITIAL,
                            ClusterConfig.ofVoters(Map.of(n, URI.create("test://probe"))), 0, 0, 0));
            available = true;
        } catch (UnsupportedOperationException e) {
            available = false;
        }
        Assumptions.assumeTrue(available, "the protocol core (internal.protocol) is not implemented yet");
    }
}
