package org.mediaoffload.pin;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.mediaoffload.journal.JournalException;
import org.mediaoffload.pipeline.OffloadJournal;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pinned target in the state directory's journal: one settings row holding a small JSON object, so the four
 * fields and how they were pinned are written (and replaced) atomically.
 */
public final class TargetPins {
    /** The settings row. */
    public static final String SETTING = "pinned-target";

    private final OffloadJournal journal;

    public TargetPins(OffloadJournal journal) {
        this.journal = requireNonNull(journal, "journal is null");
    }

    public Optional<PinnedTarget> pinned() {
        return journal.setting(SETTING).map(TargetPins::decode);
    }

    /** Pins a target where none was pinned, or confirms the one pinned: no proof is voided. */
    public void pin(PinnedTarget pin) {
        journal.putSetting(SETTING, encode(pin));
    }

    /** Pins another target and voids the journal's proofs for the old one, in one transaction. */
    public void replace(PinnedTarget pin) {
        journal.replaceTarget(SETTING, encode(pin));
    }

    static String encode(PinnedTarget pin) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("endpoint", pin.target().endpoint());
        fields.put("bucket", pin.target().bucket());
        fields.put("prefix", pin.target().prefix());
        fields.put("keyFingerprint", pin.target().keyFingerprint());
        fields.put("pinnedBy", pin.pinnedBy());
        fields.put("pinnedAt", pin.pinnedAt().toString());
        fields.put("providerConfirmed", pin.providerConfirmed());
        return Json.MAPPER.writeValueAsString(fields);
    }

    static PinnedTarget decode(String value) {
        try {
            JsonNode json = Json.MAPPER.readTree(value);
            Target target = new Target(text(json, "endpoint"), text(json, "bucket"), text(json, "prefix"),
                    text(json, "keyFingerprint"));
            return new PinnedTarget(target, text(json, "pinnedBy"), Instant.parse(text(json, "pinnedAt")),
                    json.path("providerConfirmed").asBoolean(false));
        } catch (JacksonException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new JournalException("the pinned target in the state database cannot be read (" + e.getMessage()
                    + "). Run accept-target to record the target again", e);
        }
    }

    /**
     * Built on first use: a mapper loads and initialises some 450 classes (about a fifth of a second of CPU on a cold
     * JVM), and a first run, which has nothing pinned yet, needs it only once a file is verified, not before its
     * first upload.
     */
    private static final class Json {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || !node.isString()) {
            throw new IllegalArgumentException("field " + field + " is missing");
        }
        return node.asString();
    }
}
