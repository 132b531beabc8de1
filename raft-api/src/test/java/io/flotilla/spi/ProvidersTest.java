package io.flotilla.spi;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.ProviderSelectionException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProvidersTest {
    private record Fake(String name, String scheme) {
        boolean supports(URI u) {
            return scheme.equals(u.getScheme());
        }
    }

    private static Fake select(Optional<URI> uri, List<Fake> found) {
        return Providers.select("transport", uri, found, Fake::name, Fake::supports);
    }

    @Test
    void select_byScheme_picksTheOneSupportingProvider() {
        Fake grpc = new Fake("grpc", "grpc");
        Fake http = new Fake("http", "http");
        assertSame(http, select(Optional.of(URI.create("http://h:1")), List.of(grpc, http)));
    }

    @Test
    void select_withoutUri_takesTheSoleProvider() {
        Fake only = new Fake("mem", "mem");
        assertSame(only, select(Optional.empty(), List.of(only)));
    }

    @Test
    void select_none_namesEveryProviderFound() {
        ProviderSelectionException e = assertThrows(ProviderSelectionException.class,
                () -> select(Optional.of(URI.create("lmdb:/x")), List.of(new Fake("file", "file"))));
        assertTrue(e.getMessage().contains("no transport provider for lmdb:/x"), e.getMessage());
        assertTrue(e.getMessage().contains("file ("), e.getMessage());
    }

    @Test
    void select_several_isAnError_neverSilent() {
        ProviderSelectionException e = assertThrows(ProviderSelectionException.class,
                () -> select(Optional.empty(), List.of(new Fake("a", "x"), new Fake("b", "x"))));
        assertTrue(e.getMessage().contains("several transport providers: a, b"), e.getMessage());
    }

    @Test
    void serviceLoader_inApiAlone_findsNothing_andSaysSo() {
        ProviderSelectionException e = assertThrows(ProviderSelectionException.class,
                () -> Providers.storage(Optional.of(URI.create("file:///tmp/x"))));
        assertTrue(e.getMessage().contains("providers found: none"), e.getMessage());
    }
}
