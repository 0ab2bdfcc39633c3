package org.mediaoffload.journal;

import java.io.IOException;
import java.nio.file.Path;

/** Run in a child JVM by {@link StateDirLockTest}: holds the lock until stdin closes or the process is killed. */
public final class LockHolderMain {
    private LockHolderMain() {}

    @SuppressWarnings("try") // the lock is held for the block's duration; the body need not touch it
    public static void main(String[] args) throws IOException {
        try (StateDirLock lock = StateDirLock.acquire(Path.of(args[0]), args[1])) {
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close stdin
            }
        }
    }
}
