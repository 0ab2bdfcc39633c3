package org.mediaoffload.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mediaoffload.audit.AuditControl;
import org.mediaoffload.audit.AuditJournal;
import org.mediaoffload.audit.AuditReport;
import org.mediaoffload.config.AuditConfig;

class AuditSchedulerTest {
    private static final ZoneId UTC = ZoneId.of("UTC");

    /** An audit that lasts until it is interrupted, as a real one waiting for the work slot or listing does. */
    static final class BlockingAudits implements AuditControl {
        final List<String> triggers = new CopyOnWriteArrayList<>();
        final AtomicBoolean interrupted = new AtomicBoolean();
        private final CountDownLatch never = new CountDownLatch(1);

        @Override
        public AuditReport runNow(String trigger) {
            triggers.add(trigger);
            try {
                never.await();
                throw new IllegalStateException("not reached");
            } catch (InterruptedException e) {
                interrupted.set(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("audit interrupted", e);
            }
        }

        @Override
        public long startAudit(String trigger) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Long> current() {
            return Optional.empty();
        }

        @Override
        public Optional<AuditReport> latest() {
            return Optional.empty();
        }

        @Override
        public Optional<AuditReport> report(long id) {
            return Optional.empty();
        }

        @Override
        public List<AuditJournal.Deletion> deletions(long id, String afterKey, int limit) {
            return List.of();
        }

        @Override
        public List<AuditReport> recent(int limit) {
            return List.of();
        }
    }

    @Test
    @Timeout(60) // before the fix close() waited for the blocked audit forever
    void firesOnTheCronAndCloseInterruptsTheAuditInProgress() {
        BlockingAudits audits = new BlockingAudits();
        AuditScheduler scheduler = new AuditScheduler(new AuditConfig("* * * * * ?", Duration.ofHours(1)), UTC, audits);
        assertThat(scheduler.nextFireTime()).isPresent();

        await().atMost(Duration.ofSeconds(10)).until(() -> !audits.triggers.isEmpty());
        scheduler.close();

        assertThat(audits.interrupted).as("close() interrupts the audit and waits for it").isTrue();
        // One Quartz thread and a job that disallows concurrent execution: the every-second cron never overlapped.
        assertThat(audits.triggers).containsExactly(AuditScheduler.TRIGGER);
    }

    @Test
    void aCronThatCanNeverFireIsRefusedAtStart() {
        // Quartz refuses a trigger with no future firing; the half-started scheduler is shut down again.
        assertThatThrownBy(() -> new AuditScheduler(new AuditConfig("0 0 3 1 1 ? 2001", Duration.ofHours(1)), UTC,
                new BlockingAudits()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot start the audit schedule")
                .hasMessageContaining("never fire");
    }

    @Test
    void anInvalidCronNamesTheSetting() {
        assertThatThrownBy(() -> new AuditScheduler(new AuditConfig("every sunday", Duration.ofHours(1)), UTC,
                new BlockingAudits()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offload.audit.cron");
    }
}
