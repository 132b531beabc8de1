/** Flotilla conformance kit (placeholder, filled in by the testkit work). */
module io.flotilla.testkit {
    requires transitive io.flotilla;
    requires transitive org.junit.jupiter.api;
    exports io.flotilla.testkit;
}
