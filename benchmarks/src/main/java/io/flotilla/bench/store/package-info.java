/** JMH benchmarks of the storage SPI, one body for every backend chosen by URI scheme. */
package io.flotilla.bench.store;
