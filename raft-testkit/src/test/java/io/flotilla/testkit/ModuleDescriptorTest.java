package io.flotilla.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
    private final Module module = LogStoreContract.class.getModule();
    private final ModuleDescriptor descriptor = module.getDescriptor();

    @Test
    void module_isNamedIoFlotillaTestkit() {
        assertTrue(module.isNamed(), "tests must run on the module path");
        assertEquals("io.flotilla.testkit", descriptor.name());
    }

    @Test
    void exports_areExactlyTheSuitesAndTheMemBackends_unqualified() {
        Set<String> exported = descriptor.exports().stream()
                .peek(e -> assertTrue(!e.isQualified(), "qualified export " + e))
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(Set.of("io.flotilla.testkit", "io.flotilla.testkit.mem"), exported);
    }

    @Test
    void opens_onlyTheSuitesPackage_soJUnitCanReflect() {
        Set<String> opened = descriptor.opens().stream()
                .peek(o -> assertTrue(!o.isQualified(), "qualified opens " + o))
                .map(ModuleDescriptor.Opens::source)
                .collect(Collectors.toSet());
        assertEquals(Set.of("io.flotilla.testkit"), opened);
    }

    @Test
    void requires_apiAndJUnitTransitively() {
        Map<String, Set<ModuleDescriptor.Requires.Modifier>> requires = descriptor.requires().stream()
                .filter(r -> !r.name().equals("java.base"))
                .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers));
        assertEquals(Set.of("io.flotilla", "org.junit.jupiter.api"), requires.keySet());
        requires.values().forEach(m -> assertTrue(m.contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)));
    }

    @Test
    void provides_theMemStorageAndTransportProviders_fromTheInternalPackage() {
        Map<String, java.util.List<String>> provides = descriptor.provides().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Provides::service, ModuleDescriptor.Provides::providers));
        assertEquals(Map.of(
                "io.flotilla.spi.LogStoreProvider", java.util.List.of("io.flotilla.testkit.internal.MemStorageProvider"),
                "io.flotilla.spi.TransportProvider",
                java.util.List.of("io.flotilla.testkit.internal.MemTransportProvider")), provides);
        assertTrue(descriptor.uses().isEmpty(), "the kit uses no services itself");
    }

    @Test
    void serviceFiles_matchTheDescriptor_forClassPathUsers() throws Exception {
        for (String service : Set.of("io.flotilla.spi.LogStoreProvider", "io.flotilla.spi.TransportProvider")) {
            try (var in = module.getResourceAsStream("META-INF/services/" + service)) {
                assertTrue(in != null, "missing META-INF/services/" + service);
                String content = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
                String expected = descriptor.provides().stream().filter(p -> p.service().equals(service))
                        .findFirst().orElseThrow().providers().get(0);
                assertEquals(expected, content);
            }
        }
    }
}
