/**
 * The gRPC transport's implementation: {@link io.flotilla.transport.grpc.internal.GrpcTransport}, its per-peer
 * streams, the inbound service, TLS setup, shared threads and the ServiceLoader provider. Not exported.
 */
package io.flotilla.transport.grpc.internal;
