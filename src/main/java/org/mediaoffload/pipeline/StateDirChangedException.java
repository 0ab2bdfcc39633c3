package org.mediaoffload.pipeline;

/**
 * The state directory's lock or journal file is no longer the file this process opened (deleted or replaced
 * under it): another process may be using the directory now, so this one starts no run and writes nothing there.
 */
public final class StateDirChangedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StateDirChangedException(String message) {
        super(message);
    }
}
