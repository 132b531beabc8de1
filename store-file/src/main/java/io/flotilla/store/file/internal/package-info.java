/** The {@code file:} storage provider and the storage that bundles the log, hard-state and snapshot stores. Internal. */
package io.flotilla.store.file.internal;
