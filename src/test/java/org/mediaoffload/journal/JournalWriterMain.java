package org.mediaoffload.journal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.mediaoffload.pipeline.FileEvent;
import org.mediaoffload.pipeline.FileState;

/**
 * Run in a child JVM by {@link SqliteOffloadJournalCrashTest}: starts a run and records batches of
 * {@link #BATCH} events forever, printing "COMMITTED n" after each batch, until it is killed.
 */
public final class JournalWriterMain {
    static final int BATCH = 100;

    private JournalWriterMain() {}

    public static void main(String[] args) {
        SqliteOffloadJournal journal = SqliteOffloadJournal.open(Path.of(args[0]));
        long run = journal.runStarted(Instant.now(), "crash-test", false);
        for (int batch = 0; ; batch++) {
            List<FileEvent> events = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                events.add(new FileEvent(run, "k" + (batch * BATCH + i), "r", FileState.VERIFIED, i, 1L,
                        Optional.of("md5"), Optional.empty()));
            }
            journal.record(events);
            System.out.println("COMMITTED " + (batch + 1));
            System.out.flush();
        }
    }
}
