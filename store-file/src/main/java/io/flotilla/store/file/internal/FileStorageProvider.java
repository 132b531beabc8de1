package io.flotilla.store.file.internal;

import io.flotilla.spi.LogStoreProvider;
import io.flotilla.spi.Storage;
import io.flotilla.spi.StorageContext;
import io.flotilla.store.file.FileStoreOptions;
import io.flotilla.store.file.internal.io.RealFileIO;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * The {@code file:} storage provider: {@code file:///var/raft/n1?segmentBytes=67108864} or, relative to the
 * working directory, {@code file:data/n1}. Options are parsed by {@link FileStoreOptions#fromUri}. Thread-safe.
 */
public final class FileStorageProvider implements LogStoreProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public FileStorageProvider() {}

    @Override
    public String name() {
        return "file";
    }

    @Override
    public boolean supports(URI location) {
        return "file".equalsIgnoreCase(location.getScheme());
    }

    /**
     * Returns the directory a location names.
     *
     * @param location a {@code file:} URI
     * @return the directory
     * @throws IllegalArgumentException if the URI is not a {@code file:} URI with a path
     */
    static Path directory(URI location) {
        if (!"file".equalsIgnoreCase(location.getScheme())) {
            throw new IllegalArgumentException("not a file: location: " + location);
        }
        String path;
        if (location.isOpaque()) {
            String ssp = location.getSchemeSpecificPart();
            int q = ssp.indexOf('?');
            path = q < 0 ? ssp : ssp.substring(0, q);
        } else {
            if (location.getAuthority() != null && !location.getAuthority().isEmpty()) {
                throw new IllegalArgumentException("file: location must not name a host: " + location);
            }
            path = location.getPath();
        }
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("file: location has no path: " + location);
        }
        return Path.of(path);
    }

    /**
     * Returns the options a location carries.
     *
     * @param location a {@code file:} URI
     * @return the options
     */
    static FileStoreOptions options(URI location) {
        if (location.isOpaque()) {
            String ssp = location.getSchemeSpecificPart();
            int q = ssp.indexOf('?');
            return FileStoreOptions.fromUri(URI.create("file:///x" + (q < 0 ? "" : ssp.substring(q))));
        }
        return FileStoreOptions.fromUri(location);
    }

    @Override
    public Storage open(URI location, StorageContext context) throws IOException {
        Path dir = directory(location);
        FileStoreOptions options = options(location);
        return FileStorage.open(RealFileIO.INSTANCE, dir, options, context.self().value());
    }
}
