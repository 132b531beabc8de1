/** Internal: the simulator's event queue, node runtime, observers and workload. Not exported. */
package io.flotilla.sim.internal;
