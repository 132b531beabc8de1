/**
 * Options of Flotilla's {@code file:} storage backend. The backend itself is found through
 * {@link java.util.ServiceLoader} as an {@link io.flotilla.spi.LogStoreProvider}; open it with a URI such as
 * {@code file:///var/raft/n1?segmentBytes=67108864}, or pass {@link io.flotilla.store.file.FileStoreOptions} in code.
 */
package io.flotilla.store.file;
