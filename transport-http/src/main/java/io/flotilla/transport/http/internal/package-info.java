/**
 * The HTTP transport's implementation: the OkHttp client lanes, the Jetty server and its request handler, the body
 * framing and the provider. Not exported.
 */
package io.flotilla.transport.http.internal;
