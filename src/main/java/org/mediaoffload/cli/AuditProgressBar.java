package org.mediaoffload.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.mediaoffload.audit.AuditProgress;

/** A progress display on stderr for an audit on a terminal: the phase, then the keys compared. */
final class AuditProgressBar implements AuditProgress, AutoCloseable {
    private ProgressBar bar;

    @Override
    public synchronized void phase(String description) {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName("Audit").setUnit(" keys", 1).setStyle(ProgressBarStyle.ASCII)
                    .setInitialMax(-1).continuousUpdate().build();
        }
        bar.setExtraMessage(description);
    }

    @Override
    public synchronized void compared(long keys) {
        if (bar != null) {
            bar.stepTo(keys);
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
