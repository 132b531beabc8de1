package io.flotilla.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The example exports nothing, provides nothing, and never names a backend module: those come by URI. */
class ModuleDescriptorTest {
    @Test
    void descriptor_exportsNothing_andRequiresOnlyThePublicApiAndCore() {
        ModuleDescriptor d = KvStateMachine.class.getModule().getDescriptor();
        assertEquals("io.flotilla.examples.kv", d.name());
        assertEquals(Set.of(), d.exports());
        assertEquals(Set.of(), d.opens());
        assertEquals(Set.of(), d.uses());
        assertEquals(Set.of(), d.provides());
        Set<String> requires = d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertEquals(Set.of("java.base", "io.flotilla", "io.flotilla.core", "com.fasterxml.jackson.databind",
                "jdk.httpserver", "java.net.http", "org.pcollections", "org.slf4j"), requires);
        assertFalse(requires.stream().anyMatch(r -> r.startsWith("io.flotilla.store") || r.startsWith("io.flotilla.transport")));
        assertTrue(d.packages().containsAll(Set.of("io.flotilla.examples.kv", "io.flotilla.examples.kv.http",
                "io.flotilla.examples.kv.cli", "io.flotilla.examples.kv.demo", "io.flotilla.examples.kv.start")));
    }
}
