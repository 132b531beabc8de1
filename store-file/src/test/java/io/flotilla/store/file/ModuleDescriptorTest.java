package io.flotilla.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
    private final ModuleDescriptor descriptor = FileStoreOptions.class.getModule().getDescriptor();

    @Test
    void module_isNamed_io_flotilla_store_file() {
        assertTrue(FileStoreOptions.class.getModule().isNamed(), "tests must run on the module path");
        assertEquals("io.flotilla.store.file", descriptor.name());
    }

    @Test
    void exports_onlyTheOptionsPackage_andTheSnapshotStoreToLmdbOnly() {
        assertEquals(Set.of("io.flotilla.store.file"), descriptor.exports().stream()
                .filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        // store-lmdb reuses the snapshot store (and the FileIO it is opened with); nobody else sees internals.
        assertEquals(Map.of("io.flotilla.store.file.internal.snapshot", Set.of("io.flotilla.store.lmdb"),
                        "io.flotilla.store.file.internal.io", Set.of("io.flotilla.store.lmdb")),
                descriptor.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
                        .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets)));
        assertTrue(descriptor.opens().isEmpty(), "no opens");
    }

    @Test
    void provides_theFileStorageProvider_andUsesNothing() {
        Map<String, java.util.List<String>> provides = descriptor.provides().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Provides::service, ModuleDescriptor.Provides::providers));
        assertEquals(Map.of("io.flotilla.spi.LogStoreProvider",
                java.util.List.of("io.flotilla.store.file.internal.FileStorageProvider")), provides);
        assertTrue(descriptor.uses().isEmpty(), "uses nothing");
    }

    @Test
    void requires_api_transitively_and_slf4j() {
        Map<String, Set<ModuleDescriptor.Requires.Modifier>> requires = descriptor.requires().stream()
                .filter(r -> !r.name().equals("java.base"))
                .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers));
        assertEquals(Set.of("io.flotilla", "org.slf4j"), requires.keySet());
        assertTrue(requires.get("io.flotilla").contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
    }

    @Test
    void serviceFile_namesTheSameProvider() throws Exception {
        try (var in = FileStoreOptions.class.getModule()
                .getResourceAsStream("META-INF/services/io.flotilla.spi.LogStoreProvider")) {
            assertEquals("io.flotilla.store.file.internal.FileStorageProvider",
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim());
        }
    }
}
