/** Internal: loop. Not exported; may change at any time. */
package io.flotilla.core.internal.loop;
