package io.flotilla.store.lmdb.internal;

import io.flotilla.spi.LogStoreProvider;
import io.flotilla.spi.Storage;
import io.flotilla.spi.StorageContext;
import io.flotilla.store.lmdb.LmdbStoreOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * The {@code lmdb:} storage provider: {@code lmdb:///var/raft/n1?mapSizeBytes=67108864} or, relative to the
 * working directory, {@code lmdb:data/n1}. Options are parsed by {@link LmdbStoreOptions#fromUri}. Thread-safe.
 */
public final class LmdbStorageProvider implements LogStoreProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public LmdbStorageProvider() {}

    @Override
    public String name() {
        return "lmdb";
    }

    @Override
    public boolean supports(URI location) {
        return "lmdb".equalsIgnoreCase(location.getScheme());
    }

    /**
     * Returns the directory a location names.
     *
     * @param location an {@code lmdb:} URI
     * @return the directory
     * @throws IllegalArgumentException if the URI is not an {@code lmdb:} URI with a path
     */
    static Path directory(URI location) {
        if (!"lmdb".equalsIgnoreCase(location.getScheme())) {
            throw new IllegalArgumentException("not an lmdb: location: " + location);
        }
        String path;
        if (location.isOpaque()) {
            String ssp = location.getSchemeSpecificPart();
            int q = ssp.indexOf('?');
            path = q < 0 ? ssp : ssp.substring(0, q);
        } else {
            if (location.getAuthority() != null && !location.getAuthority().isEmpty()) {
                throw new IllegalArgumentException("lmdb: location must not name a host: " + location);
            }
            path = location.getPath();
        }
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("lmdb: location has no path: " + location);
        }
        return Path.of(path);
    }

    @Override
    public Storage open(URI location, StorageContext context) throws IOException {
        Path dir = directory(location);
        return LmdbStorage.open(dir, LmdbStoreOptions.fromUri(location));
    }
}
