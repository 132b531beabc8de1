package io.flotilla.wire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
    private final ModuleDescriptor descriptor = WireCodec.class.getModule().getDescriptor();

    @Test
    void module_isNamedIoFlotillaWire() {
        assertTrue(WireCodec.class.getModule().isNamed(), "tests must run on the module path");
        assertEquals("io.flotilla.wire", descriptor.name());
    }

    @Test
    void exports_onlyToTheTransports() {
        Map<String, Set<String>> exports = new TreeMap<>();
        for (ModuleDescriptor.Exports e : descriptor.exports()) {
            assertTrue(e.isQualified(), "unqualified export of " + e.source());
            exports.put(e.source(), e.targets());
        }
        Set<String> transports = Set.of("io.flotilla.transport.grpc", "io.flotilla.transport.http");
        assertEquals(Map.of("io.flotilla.wire.internal", transports, "io.flotilla.wire.internal.proto", transports),
                exports);
    }

    @Test
    void opens_onlyGeneratedCodeToProtobuf() {
        Map<String, Set<String>> opens = descriptor.opens().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Opens::source, ModuleDescriptor.Opens::targets));
        assertEquals(Map.of("io.flotilla.wire.internal.proto", Set.of("com.google.protobuf")), opens);
    }

    @Test
    void usesAndProvides_none() {
        assertTrue(descriptor.uses().isEmpty());
        assertTrue(descriptor.provides().isEmpty());
    }
}
