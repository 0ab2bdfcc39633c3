package org.mediaoffload.journal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who holds the state directory, recorded in the journal as well as in the lock file. The lock alone cannot
 * stop a second process when the lock file was deleted under its holder: the newcomer creates and locks a new
 * file and believes itself alone. The journal (the same file for both, unless it was deleted too) still names the
 * holder and the lock file it locked; a newcomer on the same host that finds a live holder with another lock file
 * refuses to run.
 */
final class HolderRecord {
    static final String SETTING = "state-dir-holder";

    private HolderRecord() {}

    static String of(StateDirLock lock) {
        LockHolder holder = lock.holder();
        return "pid=" + holder.pid() + "\nstarted=" + processStart(holder.pid()) + "\ncommand=" + holder.command()
                + "\nsince=" + holder.since() + "\nhost=" + holder.host() + "\nlock=" + lock.identity().text() + "\n";
    }

    /** The reason to refuse, if the recorded holder is another live process that locked another lock file. */
    static Optional<String> conflict(String recorded, StateDirLock lock) {
        Map<String, String> r = parse(recorded);
        long pid;
        try {
            pid = Long.parseLong(r.getOrDefault("pid", ""));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        LockHolder me = lock.holder();
        if (pid == me.pid() || !me.host().equals(r.get("host"))) {
            return Optional.empty(); // ourselves; or another host, whose processes we cannot see (its lock can)
        }
        if (lock.identity().text().equals(r.get("lock"))) {
            return Optional.empty(); // we hold the very lock it held: it has let go (exited or crashed)
        }
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                && processStart(pid).equals(r.getOrDefault("started", "")); // not a new process with a reused pid
        if (!alive) {
            return Optional.empty();
        }
        return Optional.of("pid " + pid + ", command " + r.getOrDefault("command", "?") + ", since "
                + r.getOrDefault("since", "?") + ", host " + r.get("host") + ", still runs and holds the lock on a"
                + " lock file that has since been deleted or replaced");
    }

    private static String processStart(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).map(Object::toString).orElse("-");
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return values;
    }
}
