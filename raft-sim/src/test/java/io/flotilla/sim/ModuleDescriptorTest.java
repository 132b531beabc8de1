package io.flotilla.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
    private final Module module = Simulation.class.getModule();
    private final ModuleDescriptor descriptor = module.getDescriptor();

    @Test
    void module_isNamedIoFlotillaSim() {
        assertTrue(module.isNamed(), "tests must run on the module path");
        assertEquals("io.flotilla.sim", descriptor.name());
    }

    @Test
    void exports_areTheHarnessAndTheChecker_unqualified() {
        Set<String> exported = descriptor.exports().stream()
                .peek(e -> assertTrue(!e.isQualified(), "stray qualified export " + e))
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(Set.of("io.flotilla.sim", "io.flotilla.sim.linearizability"), exported);
    }

    @Test
    void internals_areNotExported() {
        assertTrue(descriptor.packages().contains("io.flotilla.sim.internal"));
        assertTrue(!module.isExported("io.flotilla.sim.internal"));
    }

    @Test
    void requires_apiCoreAndTestkit_usesAndProvidesNothing() {
        Set<String> required = descriptor.requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(n -> !n.equals("java.base"))
                .collect(Collectors.toSet());
        assertEquals(Set.of("io.flotilla", "io.flotilla.core", "io.flotilla.testkit"), required);
        assertTrue(descriptor.uses().isEmpty());
        assertTrue(descriptor.provides().isEmpty());
        assertTrue(descriptor.opens().isEmpty());
    }

    @Test
    void core_exportsItsInternalsToThisModuleOnly() {
        Module core = io.flotilla.core.internal.loop.NodeRuntime.class.getModule();
        assertTrue(core.isExported("io.flotilla.core.internal.loop", module));
        assertTrue(core.isExported("io.flotilla.core.internal.protocol", module));
        assertTrue(!core.isExported("io.flotilla.core.internal.loop"));
    }
}
