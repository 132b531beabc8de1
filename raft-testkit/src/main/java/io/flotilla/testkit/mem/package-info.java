/**
 * In-memory reference backends: {@link io.flotilla.testkit.mem.MemStorage} and
 * {@link io.flotilla.testkit.mem.MemNetwork}. They pass the kit's contract suites, keep everything in the heap
 * ({@link io.flotilla.spi.Capability#VOLATILE}), and offer fault hooks for tests and deterministic simulation.
 */
package io.flotilla.testkit.mem;
