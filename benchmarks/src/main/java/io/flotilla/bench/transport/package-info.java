/** JMH benchmarks of the network transports' wire codec. */
package io.flotilla.bench.transport;
