package io.flotilla.transport.grpc.internal;

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
    private final Module module = GrpcTransport.class.getModule();
    private final ModuleDescriptor descriptor = module.getDescriptor();

    @Test
    void module_isNamed() {
        assertTrue(module.isNamed(), "tests must run on the module path");
        assertEquals("io.flotilla.transport.grpc", descriptor.name());
    }

    @Test
    void exports_onlyTheOptionsPackage_unqualified() {
        assertEquals(Set.of("io.flotilla.transport.grpc"),
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
        assertEquals(List.of(GrpcTransportProvider.class.getName()), p.providers());
        assertTrue(descriptor.uses().isEmpty());
    }

    @Test
    void requires_noProtobufOrGrpcTransitively() {
        for (ModuleDescriptor.Requires r : descriptor.requires()) {
            if (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)) {
                assertEquals("io.flotilla", r.name(), "only the API may be re-exported, found " + r.name());
            }
        }
    }

    @Test
    void serviceLoader_throughTheApi_selectsThisProvider_forBothSchemes() {
        // io.flotilla declares `uses TransportProvider`; this is the path the core takes.
        for (String uri : List.of("grpc://10.0.0.1:7000", "grpcs://10.0.0.1:7000")) {
            TransportProvider provider = Providers.transport(Optional.of(URI.create(uri)));
            assertTrue(provider instanceof GrpcTransportProvider, uri + " selected " + provider);
            assertEquals("grpc", provider.name());
        }
        GrpcTransportProvider p = new GrpcTransportProvider();
        assertFalse(p.supports(URI.create("http://10.0.0.1:7000")));
        assertFalse(p.supports(URI.create("mem://a")));
    }

    @Test
    void metaInfServices_listsTheProvider() throws Exception {
        try (var in = GrpcTransportProvider.class.getModule()
                .getResourceAsStream("META-INF/services/io.flotilla.spi.TransportProvider")) {
            assertTrue(in != null, "META-INF/services file missing (class-path users need it)");
            assertEquals(GrpcTransportProvider.class.getName(), new String(in.readAllBytes()).trim());
        }
    }
}
