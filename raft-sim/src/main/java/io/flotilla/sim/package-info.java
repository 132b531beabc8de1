/**
 * The simulation harness: seeded, virtual-time runs of whole Flotilla clusters with fault injection and
 * invariant checking. Backend modules reuse it to run their own stores under the same faults.
 */
package io.flotilla.sim;
