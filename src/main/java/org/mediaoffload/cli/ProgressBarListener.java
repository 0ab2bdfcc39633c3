package org.mediaoffload.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.pipeline.RunPhase;
import org.mediaoffload.pipeline.RunSummary;

/** A progress bar on stderr for run-once on a terminal; counts files as they finish. */
final class ProgressBarListener implements RunListener {
    private ProgressBar bar;

    @Override
    public synchronized void phaseChanged(RunPhase phase) {
        // Opened when the scan ends; the total follows in workPlanned().
        if (phase == RunPhase.TRANSFERRING && bar == null) {
            bar = new ProgressBarBuilder().setTaskName("Offloading").setUnit(" files", 1)
                    .setStyle(ProgressBarStyle.ASCII).setInitialMax(-1).continuousUpdate().build();
        }
    }

    @Override
    public synchronized void workPlanned(long media, long files, long bytes) {
        if (bar != null) {
            bar.maxHint(files);
        }
    }

    @Override
    public synchronized void fileProgressed(long bytes) {
        if (bar != null) {
            bar.step();
        }
    }

    @Override
    public synchronized void runFinished(RunSummary summary) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
