package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Neighbouring media (a run works in key order) that share one {@link KeyRangeSweep} of the bucket before upload and
 * one after it, so that a batch costs a few listings instead of two per media. Each media is transferred on a
 * transfer thread of its own; the thread that finishes the batch's last media makes the after-sweep, verifies every
 * media of the batch and hands the proven files to deletion.
 */
final class MediaBatch {
    /** A media and its local files as stat'ed when the batch was prepared. */
    record Item(MediaRow row, List<LocalFile> files) {}

    private final List<Item> items;
    private final RemoteFiles.Snapshot before;
    private final MediaOffloader offloader;
    private final RemoteFiles remote;
    private final Optional<DeletionStage> deletion;
    private final Outcomes outcomes;
    private final AtomicInteger unfinished;
    private final Queue<MediaOffloader.Transfer> transfers = new ConcurrentLinkedQueue<>();

    private MediaBatch(List<Item> items, RemoteFiles.Snapshot before, MediaOffloader offloader, RemoteFiles remote,
            Optional<DeletionStage> deletion, Outcomes outcomes) {
        this.items = List.copyOf(items);
        this.before = before;
        this.offloader = offloader;
        this.remote = remote;
        this.deletion = deletion;
        this.outcomes = outcomes;
        this.unfinished = new AtomicInteger(this.items.size());
    }

    /**
     * Lists each media's files and sweeps the bucket for their keys (see {@link RemoteFiles#sweepBeforeUpload}).
     */
    static MediaBatch prepare(List<MediaRow> rows, MediaOffloader offloader, RemoteFiles remote,
            Optional<DeletionStage> deletion, Outcomes outcomes) {
        requireNonNull(offloader, "offloader is null");
        requireNonNull(remote, "remote is null");
        List<Item> items = new ArrayList<>(rows.size());
        List<String> keys = new ArrayList<>();
        List<LocalFile> files = new ArrayList<>();
        for (MediaRow row : rows) {
            try {
                offloader.filesOf(row).ifPresent(found -> {
                    items.add(new Item(row, found));
                    files.addAll(found);
                    keys.addAll(offloader.keysOf(found));
                });
            } catch (RuntimeException e) {
                // One unreadable media directory must not end the run: its files are kept and reported.
                outcomes.unexpected(row, "listing the files of", e);
            }
        }
        RemoteFiles.Snapshot before = remote.sweepBeforeUpload(keys, files, offloader::treeOf);
        return new MediaBatch(items, before, offloader, remote, deletion, outcomes);
    }

    List<Item> items() {
        return items;
    }

    /**
     * Checks and uploads one media of the batch; call {@link #finished} afterwards in any case. An unexpected error is
     * that media's failure, not the run's.
     */
    void transfer(Item item) {
        try {
            transfers.add(offloader.transfer(item.row(), item.files(), before));
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
            uploadedKeys.addAll(offloader.uploadedKeys(transfer));
        }
        RemoteFiles.Snapshot after = remote.sweepAfterUpload(uploadedKeys, offloader::treeOf);
        for (MediaOffloader.Transfer transfer : transfers) {
            try {
                List<LocalFile> proven = offloader.verify(transfer, after);
                deletion.ifPresent(stage -> stage.add(transfer.row(), proven));
            } catch (RuntimeException e) {
                outcomes.unexpected(transfer.row(), "verifying", e);
            }
        }
    }
}
