/**
 * The competitors under the same driver: Apache Ratis, SOFAJRaft and MicroRaft. Compiled only with the Maven profile
 * {@code competitors}, which adds them from Maven Central.
 */
package io.flotilla.bench.competitors;
