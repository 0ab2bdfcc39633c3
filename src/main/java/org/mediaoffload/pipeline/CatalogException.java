package org.mediaoffload.pipeline;

/** The Synapse database could not be read. Ends the run (an outage), never the daemon. */
public class CatalogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
