/** JMH benchmarks of the protocol core driven without threads or I/O. */
package io.flotilla.bench.core;
