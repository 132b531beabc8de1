/**
 * The codec between {@link io.flotilla.message.RaftMessage} records and the protobuf {@code Envelope}
 * ({@link io.flotilla.wire.internal.WireCodec}), its limits ({@link io.flotilla.wire.internal.WireLimits}) and
 * its one failure type ({@link io.flotilla.wire.internal.WireFormatException}). Exported only to the transport
 * modules.
 */
package io.flotilla.wire.internal;
