package io.flotilla.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
    private final ModuleDescriptor descriptor = Raft.class.getModule().getDescriptor();

    @Test
    void module_isNamedIoFlotillaCore() {
        assertTrue(Raft.class.getModule().isNamed(), "tests run on the module path");
        assertEquals("io.flotilla.core", descriptor.name());
    }

    @Test
    void exports_onlyTheEntryPackageUnqualified() {
        Set<String> unqualified = descriptor.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("io.flotilla.core"), unqualified);
    }

    @Test
    void qualifiedExports_onlyInternalsToTheSimulator() {
        Map<String, Set<String>> qualified = new TreeMap<>();
        descriptor.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
                .forEach(e -> qualified.put(e.source(), e.targets()));
        assertEquals(Map.of(
                "io.flotilla.core.internal.protocol", Set.of("io.flotilla.sim"),
                "io.flotilla.core.internal.loop", Set.of("io.flotilla.sim"),
                "io.flotilla.core.internal.log", Set.of("io.flotilla.sim")), qualified);
    }

    @Test
    void opens_none() {
        assertTrue(descriptor.opens().isEmpty());
        assertTrue(!descriptor.isOpen());
    }

    @Test
    void uses_transportAndStorageProviders_providesNothing() {
        assertEquals(Set.of("io.flotilla.spi.TransportProvider", "io.flotilla.spi.LogStoreProvider"),
                descriptor.uses());
        assertTrue(descriptor.provides().isEmpty());
    }

    @Test
    void requires_apiTransitivelyAndDaggerInternally() {
        Map<String, Set<ModuleDescriptor.Requires.Modifier>> requires = new TreeMap<>();
        descriptor.requires().forEach(r -> requires.put(r.name(), r.modifiers()));
        assertEquals(Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE), requires.get("io.flotilla"));
        assertEquals(Set.of(), requires.get("dagger"), "Dagger is not leaked to users");
        assertEquals(Set.of(), requires.get("jakarta.inject"));
        assertEquals(Set.of(), requires.get("org.slf4j"));
    }
}
