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
 * <p>Randomized tests print their seed on failure and replay it with {@code -Dflotilla.testkit.seed=N}. Tests
 * against real time poll with deadlines and never assert on a fixed sleep. A backend author may override a
 * test method to disable it with {@code @Disabled("reason")}. See {@code docs/spi.md}.
 */
package io.flotilla.testkit;
