/**
 * The {@code lmdb:} storage backend's public types: {@link io.flotilla.store.lmdb.LmdbStoreOptions} (map size,
 * growth ceiling, sync mode) and {@link io.flotilla.store.lmdb.LmdbSetupException} (the JVM lacks the flags or
 * native library lmdbjava needs). The backend itself is found through {@link java.util.ServiceLoader} for
 * {@code lmdb:} locations; see {@code docs/store-lmdb.md}.
 */
package io.flotilla.store.lmdb;
