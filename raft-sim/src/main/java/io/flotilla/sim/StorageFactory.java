package io.flotilla.sim;

import io.flotilla.NodeId;
import io.flotilla.spi.Storage;
import io.flotilla.testkit.mem.MemStorage;
import java.io.IOException;

/**
 * Supplies the storage of simulated nodes, so a backend can run its own store under the simulator's faults.
 * Storage must do no real I/O waits that depend on wall time, and must be deterministic.
 *
 * <p><b>Threading:</b> called on the simulation thread only.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * StorageFactory mine = new StorageFactory() {
 *     public Storage create(NodeId node) { return MyStore.openInMemory(node); }
 *     public Storage reopen(NodeId node, Storage crashed) { return ((MyStore) crashed).simulateRestart(); }
 * };
 * SimReport r = Simulation.run(SimOptions.defaults(42).withStorage(mine));
 * }</pre>
 */
public interface StorageFactory {

    /**
     * Opens empty storage for a node that has never run.
     *
     * @param node the node
     * @return opened storage
     * @throws IOException if it cannot be opened (reported as a simulation failure)
     */
    Storage create(NodeId node) throws IOException;

    /**
     * Opens the storage of a node after a crash: everything whose write call returned must be there. The
     * crashed instance is never used again.
     *
     * @param node the node
     * @param crashed the storage the crashed incarnation used
     * @return opened storage over the same data
     * @throws IOException if it cannot be opened (reported as a simulation failure)
     */
    Storage reopen(NodeId node, Storage crashed) throws IOException;

    /**
     * The in-memory reference store of {@code io.flotilla.testkit.mem}.
     *
     * @return a factory of {@link MemStorage}
     */
    static StorageFactory memory() {
        return new StorageFactory() {
            @Override
            public Storage create(NodeId node) {
                return MemStorage.create(node);
            }

            @Override
            public Storage reopen(NodeId node, Storage crashed) {
                return ((MemStorage) crashed).reopen();
            }

            @Override
            public String toString() {
                return "mem";
            }
        };
    }
}
