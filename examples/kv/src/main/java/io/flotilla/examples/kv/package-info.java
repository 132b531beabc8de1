/**
 * The replicated key-value state machine ({@link io.flotilla.examples.kv.KvStateMachine}), its commands and
 * results, its streamed snapshot format, and the node process ({@link io.flotilla.examples.kv.KvNode}).
 */
package io.flotilla.examples.kv;
