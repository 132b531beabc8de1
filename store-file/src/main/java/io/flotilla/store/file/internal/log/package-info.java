/** The segmented, checksummed log: format, recovery scanner, store. Internal. */
package io.flotilla.store.file.internal.log;
