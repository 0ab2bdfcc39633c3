package org.mediaoffload.pipeline;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads named {@code name-1}, {@code name-2}, ...: the names show in every log line ({@code [%thread]})
 * and in thread dumps, and being daemons they never keep a stopping JVM alive (each owner shuts its executor down
 * itself). The one thread factory of the code base (runs, transfers, HTTP listeners).
 */
public final class NamedThreadFactory implements ThreadFactory {
    private final String name;
    private final AtomicInteger count = new AtomicInteger();

    public NamedThreadFactory(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
