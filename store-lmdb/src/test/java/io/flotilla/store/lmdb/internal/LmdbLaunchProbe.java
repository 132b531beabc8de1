package io.flotilla.store.lmdb.internal;

import io.flotilla.Bytes;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.spi.LogStoreProvider;
import io.flotilla.spi.Storage;
import io.flotilla.spi.StorageContext;
import io.flotilla.store.lmdb.LmdbSetupException;
import java.net.URI;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A user's launch in miniature, run in a child JVM by {@link LmdbLaunchIT}: finds the {@code lmdb} provider through
 * {@link ServiceLoader}, opens {@code args[0]}, appends and reads one entry. Prints {@code OK} and exits 0, or prints
 * {@code SETUP <flags>|<message>} and exits 3 on {@link LmdbSetupException}; anything else exits 1.
 */
public final class LmdbLaunchProbe {
    private LmdbLaunchProbe() {}

    /**
     * Runs the probe.
     *
     * @param args the storage directory
     */
    public static void main(String[] args) {
        LmdbLaunchProbe.class.getModule().addUses(LogStoreProvider.class);
        LogStoreProvider provider = ServiceLoader.load(LogStoreProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("lmdb")).findFirst().orElseThrow();
        try (Storage s = provider.open(URI.create("lmdb:" + args[0]), new StorageContext(NodeId.of("probe")))) {
            s.log().append(List.of(LogEntry.command(s.log().lastIndex() + 1, 1, Bytes.ofUtf8("probe"))));
            System.out.println("OK " + s.log().lastIndex() + " module=" + LmdbLaunchProbe.class.getModule().isNamed());
            System.exit(0);
        } catch (LmdbSetupException e) {
            System.out.println("SETUP " + String.join(" ", e.requiredJvmFlags()) + "|" + e.getMessage());
            System.exit(3);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.exit(1);
        }
    }
}
