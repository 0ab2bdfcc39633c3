package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Neighbouring media (a run works in key order) whose keys one listing answers before upload and one after it.
 * Each media is transferred on a transfer thread of its own; the thread that finishes the batch's last media
 * verifies every media of the batch and hands the proven files to deletion.
 */
final class MediaBatch {
    private final List<MediaOffloader.Media> items;
    private final MediaOffloader offloader;
    private final RemoteFiles remote;
    private final Optional<DeletionStage> deletion;
    private final Outcomes outcomes;
    private final AtomicInteger unfinished;
    private final Queue<MediaOffloader.Transfer> transfers = new ConcurrentLinkedQueue<>();

    private MediaBatch(List<MediaOffloader.Media> items, MediaOffloader offloader, RemoteFiles remote,
            Optional<DeletionStage> deletion, Outcomes outcomes) {
        this.items = List.copyOf(items);
        this.offloader = offloader;
        this.remote = remote;
        this.deletion = deletion;
        this.outcomes = outcomes;
        this.unfinished = new AtomicInteger(this.items.size());
    }

    /** Lists each media's files and lets one listing answer for their keys (see {@link BucketAnswers#expect}). */
    static MediaBatch prepare(List<MediaRow> rows, MediaOffloader offloader, RemoteFiles remote,
            Optional<DeletionStage> deletion, Outcomes outcomes, RunContext run) {
        requireNonNull(offloader, "offloader is null");
        requireNonNull(remote, "remote is null");
        List<MediaOffloader.Media> items = new ArrayList<>(rows.size());
        List<String> keys = new ArrayList<>();
        for (MediaRow row : rows) {
            try {
                offloader.prepare(row).ifPresent(media -> {
                    items.add(media);
                    keys.addAll(media.listableKeys(run.s3()));
                });
            } catch (RuntimeException e) {
                // One unreadable media directory must not end the run: its files are kept and reported.
                outcomes.unexpected(row, "listing the files of", e);
            }
        }
        remote.expect(keys);
        return new MediaBatch(items, offloader, remote, deletion, outcomes);
    }

    List<MediaOffloader.Media> items() {
        return items;
    }

    /**
     * Checks and uploads one media of the batch; call {@link #finished} afterwards in any case. An unexpected error is
     * that media's failure, not the run's.
     */
    void transfer(MediaOffloader.Media item) {
        try {
            transfers.add(offloader.transfer(item));
        } catch (RuntimeException e) {
            outcomes.unexpected(item.row(), "on", e);
        }
    }

    /**
     * Counts one media as done (transferred, failed or never started). The call that finishes the batch verifies it
     * and, when deleting, hands the proven files to deletion.
     */
    void finished() {
        if (unfinished.decrementAndGet() == 0) {
            verify();
        }
    }

    private void verify() {
        List<String> uploadedKeys = new ArrayList<>();
        for (MediaOffloader.Transfer transfer : transfers) {
            transfer.uploaded().forEach(u -> uploadedKeys.add(u.receipt().key()));
        }
        BucketAnswers.Seen seen = remote.after(uploadedKeys);
        for (MediaOffloader.Transfer transfer : transfers) {
            try {
                List<LocalFile> proven = offloader.verify(transfer, seen);
                deletion.ifPresent(stage -> stage.add(transfer.row(), proven));
            } catch (RuntimeException e) {
                outcomes.unexpected(transfer.row(), "verifying", e);
            }
        }
    }
}
