package io.flotilla.store.lmdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
    private final ModuleDescriptor descriptor = LmdbStoreOptions.class.getModule().getDescriptor();

    @Test
    void module_isNamed_io_flotilla_store_lmdb() {
        assertTrue(LmdbStoreOptions.class.getModule().isNamed(), "tests must run on the module path");
        assertEquals("io.flotilla.store.lmdb", descriptor.name());
    }

    @Test
    void exports_onlyThePublicPackage_withNoQualifiedExportsOrOpens() {
        assertEquals(Set.of("io.flotilla.store.lmdb"),
                descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(descriptor.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified),
                "no qualified exports");
        assertTrue(descriptor.opens().isEmpty(), "no opens");
    }

    @Test
    void provides_theLmdbStorageProvider_andUsesNothing() {
        Map<String, List<String>> provides = descriptor.provides().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Provides::service, ModuleDescriptor.Provides::providers));
        assertEquals(Map.of("io.flotilla.spi.LogStoreProvider",
                List.of("io.flotilla.store.lmdb.internal.LmdbStorageProvider")), provides);
        assertTrue(descriptor.uses().isEmpty(), "uses nothing");
    }

    @Test
    void requires_api_transitively_fileStore_lmdbjava_andWhatLmdbjavaCannotDeclare() {
        Map<String, Set<ModuleDescriptor.Requires.Modifier>> requires = descriptor.requires().stream()
                .filter(r -> !r.name().equals("java.base"))
                .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers));
        assertEquals(Set.of("io.flotilla", "io.flotilla.store.file", "org.slf4j", "lmdbjava", "jdk.unsupported",
                "org.objectweb.asm"), requires.keySet());
        assertTrue(requires.get("io.flotilla").contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
        assertTrue(requires.get("io.flotilla.store.file").isEmpty(), "store-file is an implementation detail");
    }

    @Test
    void serviceFile_namesTheSameProvider() throws Exception {
        try (var in = LmdbStoreOptions.class.getModule()
                .getResourceAsStream("META-INF/services/io.flotilla.spi.LogStoreProvider")) {
            assertEquals("io.flotilla.store.lmdb.internal.LmdbStorageProvider",
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim());
        }
    }
}
