/** The two-slot hard-state file. Internal. */
package io.flotilla.store.file.internal.state;
