/** Internal: quorum. Not exported; may change at any time. */
package io.flotilla.core.internal.quorum;
