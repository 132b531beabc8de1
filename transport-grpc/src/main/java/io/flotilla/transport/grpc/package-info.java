/**
 * Configuration of Flotilla's gRPC transport: {@link io.flotilla.transport.grpc.GrpcTransportOptions}. The
 * transport itself is reached through {@link io.flotilla.transport.grpc.GrpcTransportOptions#createTransport} or
 * the {@code grpc://} / {@code grpcs://} {@link io.flotilla.spi.TransportProvider}.
 */
package io.flotilla.transport.grpc;
