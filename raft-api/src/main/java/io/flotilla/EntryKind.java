package io.flotilla;

/**
 * What a {@link LogEntry} carries. The numeric {@link #code()} is what stores and wire codecs persist; it never
 * changes for an existing constant.
 */
public enum EntryKind {
    /** An application command, applied to the {@link io.flotilla.spi.StateMachine} when committed. */
    COMMAND(1),
    /** A cluster configuration ({@link ClusterConfig#toBytes()}), in force from the moment it is appended (thesis §4.1). */
    CONFIGURATION(2),
    /** The empty entry a new leader appends to commit entries of earlier terms (§5.4.2, §8). */
    NO_OP(3);

    private final int code;

    EntryKind(int code) {
        this.code = code;
    }

    /**
     * Returns the stable code used in persistent and wire formats.
     *
     * @return the code, 1 to 3
     */
    public int code() {
        return code;
    }

    /**
     * Returns the kind with the given stable code.
     *
     * @param code a code read from disk or the wire
     * @return the kind
     * @throws IllegalArgumentException if no kind has this code (corrupt or foreign data)
     */
    public static EntryKind fromCode(int code) {
        switch (code) {
            case 1:
                return COMMAND;
            case 2:
                return CONFIGURATION;
            case 3:
                return NO_OP;
            default:
                throw new IllegalArgumentException("unknown entry kind code " + code);
        }
    }
}
