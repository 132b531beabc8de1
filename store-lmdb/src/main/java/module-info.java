/**
 * An LMDB-backed storage backend: {@code lmdb:} URIs open log entries, hard state and snapshot metadata in one
 * LMDB environment (CRC32C-checked values, durable group commits, a map that grows), with snapshot data in
 * checksummed files beside it.
 *
 * <p>The only exported package is {@code io.flotilla.store.lmdb} ({@link io.flotilla.store.lmdb.LmdbStoreOptions},
 * {@link io.flotilla.store.lmdb.LmdbSetupException}). lmdbjava needs {@code --add-opens java.base/java.nio=lmdbjava
 * --add-opens java.base/sun.nio.ch=lmdbjava} (or {@code =ALL-UNNAMED} on the class path) and its
 * {@code org.lmdbjava:native} jar on the class path; a launch without the flags fails at open with
 * {@link io.flotilla.store.lmdb.LmdbSetupException} naming them. See {@code docs/store-lmdb.md}.
 *
 * @provides io.flotilla.spi.LogStoreProvider for {@code lmdb:} locations
 */
module io.flotilla.store.lmdb {
    requires transitive io.flotilla;
    requires io.flotilla.store.file;
    requires org.slf4j;
    requires lmdbjava;                  // automatic module; name from the jar file
    requires jdk.unsupported;           // lmdbjava uses sun.misc.Unsafe; nothing else resolves jdk.unsupported
    requires org.objectweb.asm;         // jnr-ffi (automatic) needs ASM (an explicit module) but cannot declare it

    exports io.flotilla.store.lmdb;

    provides io.flotilla.spi.LogStoreProvider
            with io.flotilla.store.lmdb.internal.LmdbStorageProvider;
}
