package io.flotilla.spi;

import io.flotilla.NodeId;
import java.util.Objects;

/**
 * What a storage backend needs to know about the node it serves.
 *
 * @param self the node, used in log lines and error messages
 */
public record StorageContext(NodeId self) {
    /**
     * Validates the context.
     *
     * @param self the node
     */
    public StorageContext {
        Objects.requireNonNull(self, "self");
    }
}
