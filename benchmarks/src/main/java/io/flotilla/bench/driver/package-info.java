/** The cluster load driver: closed-loop clients against a 3-node cluster of Flotilla or a competitor ({@link io.flotilla.bench.driver.LoadDriver}); see docs/benchmarks.md. */
package io.flotilla.bench.driver;
