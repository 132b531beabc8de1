/** The client-facing JSON API of a key-value node, on {@code jdk.httpserver}, with forwarding to the leader. */
package io.flotilla.examples.kv.http;
