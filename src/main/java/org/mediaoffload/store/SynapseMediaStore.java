package org.mediaoffload.store;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.LocalFile;
import org.mediaoffload.pipeline.LocalStore;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRow;
import org.mediaoffload.pipeline.UploadFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Synapse's media store on local disk, as the pipeline sees it. */
public final class SynapseMediaStore implements LocalStore {
    private static final Logger log = LoggerFactory.getLogger(SynapseMediaStore.class);

    private final LocalMediaWalker walker;
    private final LocalMediaFiles files;
    private final LocalFileRemover remover;
    private final StoreTree tree;
    private final MediaStoreLayout layout;
    private final Path root;

    public SynapseMediaStore(Path root) {
        MediaStoreLayout layout = new MediaStoreLayout(root);
        this.layout = layout;
        this.root = layout.root();
        this.walker = new LocalMediaWalker(layout);
        this.files = new LocalMediaFiles(layout);
        this.remover = new LocalFileRemover(layout);
        this.tree = new StoreTree(layout);
    }

    @Override
    public Optional<String> notAMediaStore(BooleanSupplier databaseListsMedia) {
        return MediaStoreRoot.problem(root, databaseListsMedia);
    }

    @Override
    public void walk(Consumer<DiskMediaId> sink) {
        logged("Media store walk", walker.walk(sink));
    }

    @Override
    public void walk(MediaKind kind, Consumer<DiskMediaId> sink) {
        logged("Media store walk of the " + kind.name().toLowerCase(Locale.ROOT) + " media",
                walker.walk(kind, sink));
    }

    private void logged(String walk, LocalMediaWalker.WalkStats stats) {
        if (stats.symlinksSkipped() > 0 || stats.oddEntries() > 0) {
            log.info("{}: {} media, {} symlinks not followed, {} entries outside Synapse's layout ignored", walk,
                    stats.mediaFound(), stats.symlinksSkipped(), stats.oddEntries());
        }
    }

    @Override
    public long countMedia() {
        return walker.countMedia();
    }

    @Override
    public MediaFiles filesOf(MediaRow row) {
        LocalMediaFiles.Listing listing = files.list(row);
        if (listing instanceof LocalMediaFiles.Listing.Refused refused) {
            return refused.unsafePath() ? new MediaFiles.Refused(refused.reason())
                    : new MediaFiles.Invalid(refused.reason());
        }
        return new MediaFiles.Found(((LocalMediaFiles.Listing.Found) listing).files());
    }

    /** Each directory on the way opened once for the consecutive rows in it ({@link OriginalsOnDisk}). */
    @Override
    public BitSet originalsOnDisk(List<MediaRow> rows) {
        return new OriginalsOnDisk(layout).check(rows);
    }

    @Override
    public UploadFile uploadFile(LocalFile file) {
        return new StoreUploadFile(tree, file);
    }

    @Override
    public DeleteOutcome delete(LocalFile file) {
        return remover.delete(file);
    }
}
