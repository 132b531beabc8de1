/**
 * The messages Raft nodes exchange: a sealed {@link io.flotilla.message.RaftMessage} with one record per
 * RPC. Transports encode and decode these records; the core dispatches on them.
 *
 * <p>Every record is immutable, validates its fields in its compact constructor (non-null, non-negative
 * indices and terms), and carries the sender, the addressee and the sender's term. Adding a record is a
 * wire-protocol change: every transport's codec round-trip test covers all permitted subclasses.
 */
package io.flotilla.message;
