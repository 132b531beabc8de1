package io.flotilla;

/**
 * No backend (transport or storage) could be chosen for a URI: no provider on the module path or class path
 * supports it, or several do and none was chosen explicitly. The message names every candidate found.
 *
 * <p><b>Retry:</b> pointless until the deployment changes: add the backend module, remove the duplicate, or
 * pass an explicit instance to the builder.
 */
public final class ProviderSelectionException extends RaftException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was looked for and which candidates were found
     */
    public ProviderSelectionException(String message) {
        super(message, null);
    }

    @Override
    public boolean isRetrySafe() {
        return false;
    }
}
