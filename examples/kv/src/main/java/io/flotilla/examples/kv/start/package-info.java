/** The embedding example quoted verbatim by {@code docs/getting-started.md}. */
package io.flotilla.examples.kv.start;
