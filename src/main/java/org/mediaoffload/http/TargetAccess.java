package org.mediaoffload.http;

import org.mediaoffload.pin.TargetAcceptance;
import org.mediaoffload.pin.TargetGuard;

/** The pinned target as the admin API sees it: shown by {@code GET}, replaced by {@code POST /api/v1/target}. */
public interface TargetAccess {
    TargetGuard.View view();

    /**
     * Records the daemon's configured target as the pinned one (an intended move). Starts no run.
     *
     * @throws org.mediaoffload.pipeline.RunControl.RunInProgressException while a run is going
     * @throws org.mediaoffload.pin.TargetException when Synapse's provider entry reads another target
     */
    TargetAcceptance.Outcome accept();
}
