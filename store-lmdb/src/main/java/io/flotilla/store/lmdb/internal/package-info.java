/**
 * The LMDB store's implementation: the environment ({@link io.flotilla.store.lmdb.internal.LmdbEnvironment}),
 * the log, state and snapshot stores on it, the record layout ({@code Records}) and the {@code lmdb:} provider.
 * Not exported.
 */
package io.flotilla.store.lmdb.internal;
