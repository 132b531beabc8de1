/** Internal: protocol. Not exported; may change at any time. */
package io.flotilla.core.internal.protocol;
