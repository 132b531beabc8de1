/**
 * A replicated key-value service built on Flotilla's public API only, as an application would be: the state
 * machine ({@code io.flotilla.examples.kv.KvStateMachine}, with incremental snapshots), a JSON HTTP API per node,
 * a command-line client and the local three-process cluster demo ({@code ./demo} at the repository root).
 *
 * <p>Nothing is exported: the module is run ({@code java -p ... -m io.flotilla.examples.kv/...}), not linked
 * against. The gRPC transport and the file store are found at run time through {@link java.util.ServiceLoader}
 * by the {@code grpc://} and {@code file:} URIs; this module does not read them.
 */
module io.flotilla.examples.kv {
    requires io.flotilla;
    requires io.flotilla.core;
    requires com.fasterxml.jackson.databind;
    requires jdk.httpserver;
    requires java.net.http;
    requires org.pcollections;
    requires org.slf4j;
}
