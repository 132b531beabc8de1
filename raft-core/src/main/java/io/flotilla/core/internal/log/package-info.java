/** Internal: log. Not exported; may change at any time. */
package io.flotilla.core.internal.log;
