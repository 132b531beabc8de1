/**
 * Internal: quorum arithmetic for simple majorities and joint configurations (thesis §4.3), after etcd raft's
 * {@code quorum} package: commit indices and vote outcomes, without allocation-heavy collections. Not exported;
 * may change at any time.
 */
package io.flotilla.core.internal.quorum;
