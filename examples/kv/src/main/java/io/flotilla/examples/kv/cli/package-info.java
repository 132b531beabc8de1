/** The key-value command-line client ({@code ./demo kv ...}). */
package io.flotilla.examples.kv.cli;
