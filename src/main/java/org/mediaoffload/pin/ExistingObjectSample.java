package org.mediaoffload.pin;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.mediaoffload.pipeline.ObjectStore;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.ListedObject;
import org.mediaoffload.pipeline.ObjectStoreException;

/**
 * The rule for a target nobody pinned yet (a first run, or a state directory that was lost or replaced): our key
 * may take over a prefix only if it holds no media yet, or if {@link #REQUIRED} media objects spread over the
 * first listing page all decrypt with it (HEAD with our SSE-C key). A bucket written with another key, without
 * SSE-C, or by another deployment therefore refuses us instead of collecting media Synapse cannot read. An outage
 * (no answer, 5xx) is thrown as it is: the run aborts, as any run does when the store is down.
 */
final class ExistingObjectSample {
    static final int REQUIRED = 5;
    private static final int PAGE = 1000;
    /** Only Synapse's media directories count: other objects under an empty prefix are not Synapse's to read. */
    private static final List<String> MEDIA_DIRS =
            List.of("local_content/", "local_thumbnails/", "remote_content/", "remote_thumbnail/");

    /** @param refusal empty when the target may be pinned at the first verified upload */
    record Outcome(Optional<String> refusal, String finding) {}

    private final ObjectStore store;

    ExistingObjectSample(ObjectStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    Outcome check(String prefix) {
        List<ListedObject> media;
        try {
            media = store.listPage(prefix, "", PAGE).objects().stream()
                    .filter(o -> MEDIA_DIRS.stream().anyMatch(dir -> o.key().startsWith(prefix + dir)))
                    .toList();
        } catch (ObjectStoreException e) {
            if (e.looksLikeOutage()) {
                throw e; // the store is down: the run aborts as in any outage, the target is not at fault
            }
            return refused("the objects under the prefix could not be listed to check that our SSE-C key reads"
                    + " them (" + e.getMessage() + ")");
        }
        if (media.isEmpty()) {
            return new Outcome(Optional.empty(), "the prefix holds no media yet");
        }
        int samples = Math.min(REQUIRED, media.size());
        int readable = 0;
        for (int i = 0; i < samples; i++) {
            // Spread over the page: one run's leftovers at the start of the key space say little about the rest.
            ListedObject object = media.get(i * media.size() / samples);
            HeadResult head;
            try {
                head = store.head(object.key());
            } catch (ObjectStoreException e) {
                if (e.looksLikeOutage()) {
                    throw e;
                }
                return refused("HEAD " + object.key() + " failed (" + e.getMessage() + ")");
            }
            if (head instanceof HeadResult.Present) {
                readable++;
            } else if (head instanceof HeadResult.Unreadable || head instanceof HeadResult.Unknown) {
                return refused("the existing object " + object.key() + " does not decrypt with our SSE-C key (or"
                        + " needs one we do not send): this prefix was written with another key or without SSE-C");
            }
            // Absent: deleted since the listing; it proves nothing either way.
        }
        if (readable < REQUIRED) {
            return refused("only " + readable + " existing media object(s) could be checked with our SSE-C key;"
                    + " at least " + REQUIRED + " must decrypt with it before a target is pinned from the bucket");
        }
        return new Outcome(Optional.empty(), readable + " sampled existing objects decrypt with our SSE-C key");
    }

    private static Outcome refused(String why) {
        return new Outcome(Optional.of(why), why);
    }
}
