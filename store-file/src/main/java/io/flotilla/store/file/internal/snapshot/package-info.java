/** Checksummed snapshot parts and chains (base plus deltas). Internal. */
package io.flotilla.store.file.internal.snapshot;
