/**
 * A linearizability checker for recorded client histories: {@link io.flotilla.sim.linearizability.Operation}s
 * checked against a sequential {@link io.flotilla.sim.linearizability.Model} by
 * {@link io.flotilla.sim.linearizability.LinearizabilityChecker} (Wing–Gong search with Lowe's memoization and
 * per-key partitioning). {@link io.flotilla.sim.linearizability.KvModel} specifies a put/get/compare-and-set
 * register map.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * List<Operation<KvInput, KvOutput>> history = List.of(
 *     Operation.ok(0, 0, new KvInput.Put("x", "a"), KvOutput.WRITTEN, 0, 10),
 *     Operation.ok(1, 1, new KvInput.Get("x"), new KvOutput.Read(Optional.of("a")), 20, 30));
 * CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, history);
 * if (!r.isLinearizable()) System.out.println(r.explanation());
 * }</pre>
 */
package io.flotilla.sim.linearizability;
