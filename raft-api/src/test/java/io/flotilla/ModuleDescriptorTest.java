package io.flotilla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
    private final ModuleDescriptor descriptor = RaftNode.class.getModule().getDescriptor();

    @Test
    void module_isNamedIoFlotilla() {
        assertTrue(RaftNode.class.getModule().isNamed(), "tests must run on the module path");
        assertEquals("io.flotilla", descriptor.name());
    }

    @Test
    void exports_areExactlyTheThreeApiPackages_unqualified() {
        Set<String> exported = descriptor.exports().stream()
                .peek(e -> assertTrue(!e.isQualified(), "qualified export " + e))
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(Set.of("io.flotilla", "io.flotilla.spi", "io.flotilla.message"), exported);
    }

    @Test
    void requires_nothingButJavaBase() {
        Set<String> required = descriptor.requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet());
        assertEquals(Set.of("java.base"), required);
    }

    @Test
    void uses_bothProviderTypes_andProvidesNothing() {
        assertEquals(Set.of("io.flotilla.spi.TransportProvider", "io.flotilla.spi.LogStoreProvider"), descriptor.uses());
        assertTrue(descriptor.provides().isEmpty());
        assertTrue(descriptor.opens().isEmpty());
    }
}
