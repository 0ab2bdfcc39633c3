package org.mediaoffload.journal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Who holds the state-dir lock, as written into the lock file (simple {@code key=value} lines). */
record LockHolder(long pid, String command, Instant since, String host) {

    String toFileText() {
        return "pid=" + pid + "\ncommand=" + oneLine(command) + "\nsince=" + since + "\nhost=" + oneLine(host) + "\n";
    }

    /** Best effort: the file may be empty or half-written when the holder is just starting. */
    static String describe(byte[] fileContent) {
        Map<String, String> values = new HashMap<>();
        for (String line : new String(fileContent, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        if (!values.containsKey("pid")) {
            return "holder unknown: it is starting, or is an older process that wrote no details";
        }
        return "pid " + values.get("pid") + ", command " + values.getOrDefault("command", "?") + ", since "
                + values.getOrDefault("since", "?") + ", host " + values.getOrDefault("host", "?");
    }

    String describe() {
        return describe(toFileText().getBytes(StandardCharsets.UTF_8));
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
