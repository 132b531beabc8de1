/**
 * Flotilla's default storage backend: {@code file:} URIs open a segmented, CRC32C-checksummed, crash-safe log
 * with group commit, a two-slot hard-state file and incremental snapshot storage.
 *
 * <p>The only exported package is {@code io.flotilla.store.file}, holding {@link io.flotilla.store.file.FileStoreOptions}.
 * The provider is found through {@link java.util.ServiceLoader}; everything else is internal. The offline tool
 * {@code flotilla-log} is the main class {@code io.flotilla.store.file.internal.tool.FlotillaLog}.
 *
 * @provides io.flotilla.spi.LogStoreProvider for {@code file:} locations
 */
module io.flotilla.store.file {
    requires transitive io.flotilla;
    requires org.slf4j;

    exports io.flotilla.store.file;
    exports io.flotilla.store.file.internal.snapshot to io.flotilla.store.lmdb;
    exports io.flotilla.store.file.internal.io to io.flotilla.store.lmdb;

    provides io.flotilla.spi.LogStoreProvider
            with io.flotilla.store.file.internal.FileStorageProvider;
}
