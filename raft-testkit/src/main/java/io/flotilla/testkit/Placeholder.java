package io.flotilla.testkit;

final class Placeholder {
    private Placeholder() {}
}
