package org.mediaoffload.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.pipeline.RunStatus;

/** kill -9 of a process in the middle of writing: every acknowledged batch survives, no batch is half there. */
class SqliteOffloadJournalCrashTest {

    @TempDir
    Path tmp;

    @Test
    void aKilledWriterLeavesWholeBatchesAndAnAbandonedRun() throws Exception {
        Path stateDir = tmp.resolve("state");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                JournalWriterMain.class.getName(), stateDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        AtomicInteger acknowledged = new AtomicInteger();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("COMMITTED ")) {
                        acknowledged.set(Integer.parseInt(line.substring("COMMITTED ".length())));
                    }
                }
            } catch (IOException e) {
                // killed
            }
        }, "journal-writer-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.get() >= 5);
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        int acked = acknowledged.get();

        try (SqliteOffloadJournal journal = SqliteOffloadJournal.open(stateDir)) {
            int upper = (acked + 1000) * JournalWriterMain.BATCH;
            List<String> keys = IntStream.range(0, upper).mapToObj(i -> "k" + i).toList();
            int present = journal.lookup(keys).size();
            assertThat(present % JournalWriterMain.BATCH).as("only whole batches").isZero();
            assertThat(present).isGreaterThanOrEqualTo(acked * JournalWriterMain.BATCH);

            assertThat(journal.abandonUnfinishedRuns(Instant.now())).isEqualTo(1);
            assertThat(journal.lastRun()).get().extracting(r -> r.status()).isEqualTo(RunStatus.ABORTED);
        }
    }
}
