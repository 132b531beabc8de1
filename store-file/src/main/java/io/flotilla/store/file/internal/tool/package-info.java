/** The offline {@code flotilla-log} tool: dump and verify a store directory. Internal. */
package io.flotilla.store.file.internal.tool;
