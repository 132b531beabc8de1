/**
 * Flotilla's deterministic cluster simulator and linearizability checker (tests only; never a runtime
 * dependency of an application).
 *
 * <p>{@code io.flotilla.sim} runs whole clusters of real Flotilla nodes on virtual time in one thread, under
 * seeded network, process and storage faults, and checks Raft's safety properties after every event and the
 * client history for linearizability after every run. {@code io.flotilla.sim.linearizability} is the history
 * checker, usable on its own.
 */
module io.flotilla.sim {
    requires transitive io.flotilla;
    requires io.flotilla.core;
    requires io.flotilla.testkit;

    exports io.flotilla.sim;
    exports io.flotilla.sim.linearizability;
}
