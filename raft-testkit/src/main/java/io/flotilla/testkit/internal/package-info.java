/** Internals of the conformance kit: providers, checkers and helpers. Not exported; not API. */
package io.flotilla.testkit.internal;
