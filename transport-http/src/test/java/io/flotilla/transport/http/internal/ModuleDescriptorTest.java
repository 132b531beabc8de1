package io.flotilla.transport.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.spi.Providers;
import io.flotilla.spi.TransportProvider;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
    private final Module module = HttpTransport.class.getModule();
    private final ModuleDescriptor descriptor = module.getDescriptor();

    @Test
    void module_isNamed() {
        assertTrue(module.isNamed(), "tests must run on the module path");
        assertEquals("io.flotilla.transport.http", descriptor.name());
    }

    @Test
    void exports_onlyTheOptionsPackage_unqualified() {
        assertEquals(Set.of("io.flotilla.transport.http"),
                descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(descriptor.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified),
                "no stray qualified exports");
        assertTrue(descriptor.opens().isEmpty(), "opens nothing");
        assertFalse(descriptor.isOpen());
    }

    @Test
    void provides_theTransportProvider_andUsesNothing() {
        assertEquals(1, descriptor.provides().size());
        ModuleDescriptor.Provides p = descriptor.provides().iterator().next();
        assertEquals(TransportProvider.class.getName(), p.service());
        assertEquals(List.of(HttpTransportProvider.class.getName()), p.providers());
        assertTrue(descriptor.uses().isEmpty());
    }

    @Test
    void requires_onlyTheApiTransitively() {
        for (ModuleDescriptor.Requires r : descriptor.requires()) {
            if (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)) {
                assertEquals("io.flotilla", r.name(), "only the API may be re-exported, found " + r.name());
            }
        }
    }

    @Test
    void serviceLoader_throughTheApi_selectsThisProvider_forBothSchemes() {
        // io.flotilla declares `uses TransportProvider`; this is the path the core takes. The gRPC provider is on
        // the test module path too: selection by scheme must still be unambiguous.
        for (String uri : List.of("http://10.0.0.1:7000", "https://10.0.0.1:7000")) {
            TransportProvider provider = Providers.transport(Optional.of(URI.create(uri)));
            assertTrue(provider instanceof HttpTransportProvider, uri + " selected " + provider);
            assertEquals("http", provider.name());
        }
        HttpTransportProvider p = new HttpTransportProvider();
        assertFalse(p.supports(URI.create("grpc://10.0.0.1:7000")));
        assertFalse(p.supports(URI.create("mem://a")));
    }

    @Test
    void metaInfServices_listsTheProvider() throws Exception {
        try (var in = HttpTransportProvider.class.getModule()
                .getResourceAsStream("META-INF/services/io.flotilla.spi.TransportProvider")) {
            assertTrue(in != null, "META-INF/services file missing (class-path users need it)");
            assertEquals(HttpTransportProvider.class.getName(), new String(in.readAllBytes()).trim());
        }
    }
}
