package org.mediaoffload.pipeline;

public enum RunPhase {
    STARTING,
    SCANNING,
    TRANSFERRING,
    FINISHING,
    DONE
}
