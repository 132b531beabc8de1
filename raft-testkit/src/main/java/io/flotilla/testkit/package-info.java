/** Contract suites. */
package io.flotilla.testkit;
