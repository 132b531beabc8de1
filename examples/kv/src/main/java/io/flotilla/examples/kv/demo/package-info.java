/** The local three-process cluster demo run by {@code ./demo}. */
package io.flotilla.examples.kv.demo;
