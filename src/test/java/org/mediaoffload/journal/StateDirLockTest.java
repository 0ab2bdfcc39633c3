package org.mediaoffload.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirLockTest {

    @TempDir
    Path tmp;

    private Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void createsTheDirectoryAndWritesTheHolder() throws IOException {
        Path stateDir = tmp.resolve("state/nested");
        try (StateDirLock lock = StateDirLock.acquire(stateDir, "daemon")) {
            String text = Files.readString(stateDir.resolve("lock"));
            assertThat(text).contains("pid=" + ProcessHandle.current().pid()).contains("command=daemon")
                    .contains("since=").contains("host=");
            assertThat(lock.lockFile()).isEqualTo(stateDir.toRealPath().resolve("lock"));
        }
    }

    @Test
    @SuppressWarnings("try") // the lock is held for the block's duration; the body need not touch it
    void sameJvmSecondAcquireFailsAndFirstKeepsItsLock() throws IOException {
        Path sameDirViaSymlink = Files.createSymbolicLink(tmp.resolve("alias"), tmp);
        try (StateDirLock first = StateDirLock.acquire(tmp, "daemon")) {
            assertThatThrownBy(() -> StateDirLock.acquire(tmp, "run-once"))
                    .isInstanceOf(StateLockedException.class)
                    .hasMessageContaining(tmp.toString())
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("command daemon")
                    .hasMessageContaining("stop the other process first");
            // Also through another spelling of the same directory.
            assertThatThrownBy(() -> StateDirLock.acquire(sameDirViaSymlink, "run-once"))
                    .isInstanceOf(StateLockedException.class);
        }
        // Released on close: acquirable again.
        StateDirLock.acquire(tmp, "run-once").close();
    }

    @Test
    void anotherProcessHoldingTheLockIsNamedAndACrashReleasesIt() throws Exception {
        Path stateDir = tmp.resolve("state");
        child = startHolder(stateDir, "daemon");
        ConcurrentLinkedQueue<String> lines = readLines(child);
        await().atMost(Duration.ofSeconds(60)).until(() -> lines.stream().anyMatch(l -> l.startsWith("READY")));

        assertThatThrownBy(() -> StateDirLock.acquire(stateDir, "run-once"))
                .isInstanceOf(StateLockedException.class)
                .hasMessageContaining(stateDir.toString())
                .hasMessageContaining("pid " + child.pid())
                .hasMessageContaining("command daemon")
                .hasMessageContaining("since ")
                .hasMessageContaining("stop the other process first")
                .hasMessageContaining("POST /api/v1/runs");

        // A crashed holder: the OS releases its lock, the stale file content does not block us.
        child.destroyForcibly();
        child.waitFor();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(StateLockedException.class)
                .untilAsserted(() -> {
                    try (StateDirLock lock = StateDirLock.acquire(stateDir, "run-once")) {
                        assertThat(Files.readString(lock.lockFile()))
                                .contains("pid=" + ProcessHandle.current().pid()).contains("command=run-once");
                    }
                });
    }

    @Test
    @SuppressWarnings("try") // the lock is held for the block's duration; the body need not touch it
    void aLockHeldHereIsRefusedToAChildProcess() throws Exception {
        Path stateDir = tmp.resolve("state");
        try (StateDirLock lock = StateDirLock.acquire(stateDir, "daemon")) {
            child = startHolder(stateDir, "run-once");
            child.getOutputStream().close();
            String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor()).isNotZero();
            assertThat(stderr).contains("StateLockedException")
                    .contains("pid " + ProcessHandle.current().pid());
        }
    }

    private static Process startHolder(Path stateDir, String command) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolderMain.class.getName(), stateDir.toString(), command).start();
    }

    private static ConcurrentLinkedQueue<String> readLines(Process process) {
        ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the child died; the test asserts on what was read
            }
        }, "lock-child-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }
}
