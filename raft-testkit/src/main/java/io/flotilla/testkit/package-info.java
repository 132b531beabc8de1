/**
 * Contract suites for Flotilla backends: abstract JUnit 5 classes that a backend's tests extend, implementing
 * one factory method each.
 *
 * <ul>
 *   <li>{@link io.flotilla.testkit.LogStoreContract} — {@code openLog(Path)};</li>
 *   <li>{@link io.flotilla.testkit.StateStoreContract} — {@code openState(Path)};</li>
 *   <li>{@link io.flotilla.testkit.SnapshotStoreContract} — {@code openSnapshots(Path)};</li>
 *   <li>{@link io.flotilla.testkit.TransportContract} — {@code listenAddress(NodeId)} and
 *       {@code create(URI, TransportContext)}.</li>
 * </ul>
 *
 * <p>Randomized tests run a fixed window of seeds (1000, 1001, ...) by default, so every build checks the same
 * operation sequences. A failing sequence is shrunk to a short one that fails the same way, and the failure
 * prints it with its seed; replay with {@code -Dflotilla.testkit.seed=N}, explore fresh seeds with
 * {@code -Dflotilla.testkit.randomSeeds=true}. Tests against real time poll with deadlines and never assert on a
 * fixed sleep. A backend author may override a
 * test method to disable it with {@code @Disabled("reason")}. See {@code docs/spi.md}.
 */
package io.flotilla.testkit;
