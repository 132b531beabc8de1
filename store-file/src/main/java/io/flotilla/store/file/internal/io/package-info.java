/** The file-system layer under the stores: the real implementation and a simulated disk for fault injection. Internal. */
package io.flotilla.store.file.internal.io;
