package org.mediaoffload.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.OTHER_SSE_KEY;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mediaoffload.Engine;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.journal.SqliteOffloadJournal;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;
import org.mediaoffload.testing.EngineTestBase;
import org.mediaoffload.testing.OffloadConfigBuilder;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ConfigBuilder;
import org.mediaoffload.testing.ToxicProxy;

/**
 * The pinned target against the real engine (SQLite journal, S3Proxy over HTTPS with SSE-C): what pins it, what a run
 * against another endpoint, bucket, prefix or key does (nothing), and the ways forward.
 */
class PinnedTargetTest extends EngineTestBase {
    @Test
    void theFirstVerifiedUploadPinsTheTargetWithTheKeyAsAFingerprintOnly() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("pinFirstAAAAAAAAAAAAAAAA", bytes(300, 1), 3 * DAY_MS);

        assertThat(h.run().status()).isEqualTo(RunStatus.SUCCEEDED);

        PinnedTarget pin = h.pinnedTarget().orElseThrow();
        assertThat(pin.target()).isEqualTo(Target.of(h.s3Config()));
        assertThat(pin.target().bucket()).isEqualTo(h.bucket());
        assertThat(pin.target().endpoint()).isEqualTo("https://127.0.0.1:" + server.securePort());
        assertThat(pin.target().keyFingerprint()).startsWith("MD5 ");
        assertThat(pin.pinnedBy()).isEqualTo("first verified upload");
        assertThat(settingsText()).doesNotContain(OffloadHarness.SSE_KEY)
                .doesNotContain(h.s3Config().sseCustomerKey().orElseThrow().keyBase64());
    }

    @Test
    void aDryRunNeverPins() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("pinDryAAAAAAAAAAAAAAAAAA", bytes(300, 1), 3 * DAY_MS);

        assertThat(h.run(true, RunListener.NONE).status()).isEqualTo(RunStatus.SUCCEEDED);

        assertThat(h.pinnedTarget()).isEmpty();
        assertThat(h.bucketKeys()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"key", "prefix", "bucket", "endpoint"})
    void aRunAgainstAnotherTargetIsRefusedSendsNoPutAndDeletesNothing(String field) throws Exception {
        harness(Db.SQLITE);
        h.offloadLocal("pinnedAAAAAAAAAAAAAAAAAA");
        h.addLocal("refusedBBBBBBBBBBBBBBBBB", bytes(400, 2), 3 * DAY_MS);

        try (ToxicProxy proxy = new ToxicProxy(server.securePort())) {
            S3Config s3 = switch (field) {
                case "key" -> {
                    h.sseKey = Optional.of(OTHER_SSE_KEY);
                    yield h.s3Config();
                }
                case "prefix" -> {
                    h.prefix = "elsewhere/";
                    yield h.s3Config();
                }
                case "endpoint" -> {
                    // The same store under another address: still another target for the pin.
                    h.endpointOverride = Optional.of(proxy.httpsEndpoint());
                    yield h.s3Config();
                }
                default -> S3ConfigBuilder.from(h.s3Config()).bucket(newBucket("other")).build();
            };
            h.requests.reset();

            RunSummary summary = run(OffloadConfigBuilder.from(h.config()).s3(s3).build());

            assertThat(summary.status()).isEqualTo(RunStatus.REFUSED);
            assertThat(summary.status().exitCode()).isEqualTo(2);
            assertThat(h.requests.count("PutObject")).isZero();
            assertThat(summary.filesUploaded()).isZero();
            assertThat(summary.filesDeleted()).isZero();
            assertThat(h.localExists(localOriginal("refusedBBBBBBBBBBBBBBBBB"))).isTrue();
            String reason = String.join("\n", summary.errors());
            assertThat(reason).contains(expectedField(field)).contains("check-config --homeserver-config")
                    .contains("accept-target").contains("POST /api/v1/target").contains("not copied")
                    .doesNotContain(OffloadHarness.SSE_KEY).doesNotContain(OTHER_SSE_KEY);
            assertThat(reason.lines().filter(l -> l.contains(": pinned ")).count())
                    .as("only the differing field is named: %s", reason).isEqualTo(1);
        }
    }

    @Test
    void acceptingTheNewTargetLetsTheNextRunWorkAndVoidsTheOldProofs() throws Exception {
        harness(Db.SQLITE);
        h.offloadLocal("movedAAAAAAAAAAAAAAAAAAA");
        String oldKey = h.key(localOriginal("movedAAAAAAAAAAAAAAAAAAA"));
        h.prefix = "moved/";
        h.addLocal("movedBBBBBBBBBBBBBBBBBBB", bytes(400, 2), 3 * DAY_MS);
        assertThat(h.run().status()).isEqualTo(RunStatus.REFUSED);

        TargetAcceptance.Outcome accepted;
        try (Engine engine = h.openEngine(RunListener.NONE)) {
            assertThat(engine.target().mismatched()).isTrue();
            assertThat(engine.journal().lookup(List.of(oldKey))).isNotEmpty();
            accepted = engine.coordinator().whileIdle(() -> engine.target().accept("test"));
            assertThat(engine.target().mismatched()).isFalse();
            assertThat(engine.journal().lookup(List.of(oldKey))).as("proofs for the old target").isEmpty();
        }

        assertThat(accepted.message()).containsIgnoringCase("not copied").contains("prefix");
        assertThat(accepted.previous().orElseThrow().target().prefix()).isEmpty();
        RunSummary next = h.run();
        assertThat(next.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.bucketKeys()).contains("moved/" + localOriginal("movedBBBBBBBBBBBBBBBBBBB"));
        assertThat(h.localExists(localOriginal("movedBBBBBBBBBBBBBBBBBBB"))).isFalse();
    }

    @Test
    void aNewStateDirAgainstABucketWrittenWithAnotherKeyIsRefused() throws Exception {
        harness(Db.SQLITE);
        for (int i = 0; i < 6; i++) {
            h.addLocal(String.format("otherKey%016d", i), bytes(200, i), 3 * DAY_MS);
        }
        h.sseKey = Optional.of(OTHER_SSE_KEY);
        assertThat(h.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        deleteStateDir();
        h.sseKey = Optional.of(OffloadHarness.SSE_KEY);
        h.addLocal("ourKeyAAAAAAAAAAAAAAAAAA", bytes(300, 7), 3 * DAY_MS);
        h.requests.reset();

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.REFUSED);
        assertThat(h.requests.count("PutObject")).isZero();
        assertThat(h.localExists(localOriginal("ourKeyAAAAAAAAAAAAAAAAAA"))).isTrue();
        assertThat(String.join("\n", summary.errors())).contains("no target is pinned")
                .contains("does not decrypt with our SSE-C key").contains("accept-target");
        assertThat(h.pinnedTarget()).isEmpty();
    }

    @Test
    void aNewStateDirAgainstABucketOurKeyReadsPinsAfterFiveSampledObjectsDecrypt() throws Exception {
        harness(Db.SQLITE);
        for (int i = 0; i < 6; i++) {
            h.addLocal(String.format("sameKey%017d", i), bytes(200, i), 3 * DAY_MS);
        }
        h.run();
        deleteStateDir();
        h.addLocal("sameKeyNextAAAAAAAAAAAAA", bytes(300, 7), 3 * DAY_MS);
        h.requests.reset();

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.requests.count("HeadObject")).isGreaterThanOrEqualTo(5);
        assertThat(h.pinnedTarget()).isPresent();
        assertThat(h.localExists(localOriginal("sameKeyNextAAAAAAAAAAAAA"))).isFalse();
    }

    @Test
    void fewerThanFiveExistingObjectsDoNotPinATargetFromTheBucket() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("fewAAAAAAAAAAAAAAAAAAAAA", bytes(200, 1), 3 * DAY_MS);
        h.run();
        deleteStateDir();
        h.addLocal("fewBBBBBBBBBBBBBBBBBBBBB", bytes(300, 2), 3 * DAY_MS);

        RunSummary summary = h.run();

        assertThat(summary.status()).isEqualTo(RunStatus.REFUSED);
        assertThat(String.join("\n", summary.errors())).contains("at least 5");
        assertThat(h.localExists(localOriginal("fewBBBBBBBBBBBBBBBBBBBBB"))).isTrue();
    }

    @Test
    void aHomeserverYamlWithoutAnS3ProviderEntryDeletesNothingAndSaysSo() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("noProviderAAAAAAAAAAAAAA", bytes(300, 1), 3 * DAY_MS);
        h.homeserverConfig = Optional.of(Files.writeString(tmp.resolve("homeserver.yaml"),
                "server_name: example.org\nmedia_store_path: /data/media_store\n"));

        RunSummary summary = h.run();

        assertThat(summary.filesDeleted()).isZero();
        assertThat(summary.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.localExists(localOriginal("noProviderAAAAAAAAAAAAAA"))).isTrue();
        assertThat(String.join("\n", summary.errors())).contains("no S3 storage provider entry")
                .contains("Synapse cannot read offloaded media back").contains("no local file is deleted");
    }

    @Test
    void everyRunComparesTheTargetWithTheProviderEntry() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("providerAAAAAAAAAAAAAAAA", bytes(300, 1), 3 * DAY_MS);
        h.pinTarget();
        Path homeserver = tmp.resolve("homeserver.yaml");
        h.homeserverConfig = Optional.of(homeserver);
        h.writeHomeserverYaml(homeserver, "media/", OffloadHarness.SSE_KEY);

        RunSummary differs = h.run();
        h.writeHomeserverYaml(homeserver, "", OffloadHarness.SSE_KEY);
        RunSummary matches = h.run();

        assertThat(differs.status()).isEqualTo(RunStatus.REFUSED);
        assertThat(String.join("\n", differs.errors())).contains("offload.s3.prefix");
        assertThat(matches.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.localExists(localOriginal("providerAAAAAAAAAAAAAAAA"))).isFalse();
    }

    @Test
    void withNoPinAMatchingProviderEntryStandsInForTheSampleAndPinsConfirmed() throws Exception {
        harness(Db.SQLITE);
        h.addLocal("confirmedAAAAAAAAAAAAAAA", bytes(300, 1), 3 * DAY_MS);
        // One object Synapse cannot read (no SSE-C): too few to sample, and it does not decrypt with our key.
        h.putObject(localOriginal("confirmedAAAAAAAAAAAAAAA"), bytes(300, 1), Optional.empty());
        Path homeserver = tmp.resolve("homeserver.yaml");
        h.writeHomeserverYaml(homeserver, "", OffloadHarness.SSE_KEY);
        h.homeserverConfig = Optional.of(homeserver);

        RunSummary summary = h.run();

        assertThat(summary.status()).as("%s", summary.errors()).isEqualTo(RunStatus.SUCCEEDED);
        PinnedTarget pin = h.pinnedTarget().orElseThrow();
        assertThat(pin.providerConfirmed()).isTrue();
        assertThat(h.objectBytes(localOriginal("confirmedAAAAAAAAAAAAAAA")))
                .as("rewritten with the key Synapse's provider uses").contains(bytes(300, 1));
        assertThat(h.localExists(localOriginal("confirmedAAAAAAAAAAAAAAA"))).isFalse();
    }

    private static String expectedField(String field) {
        return switch (field) {
            case "key" -> "SSE-C key (offload.s3.sse-customer-key, shown as its MD5): pinned MD5 ";
            case "prefix" -> "prefix (offload.s3.prefix): pinned \"\", now \"elsewhere/\"";
            case "bucket" -> "bucket (offload.s3.bucket): pinned b-";
            default -> "endpoint (offload.s3.endpoint): pinned https://127.0.0.1:";
        };
    }

    private RunSummary run(OffloadConfig config) {
        try (Engine engine = Engine.open(config, "test", RunListener.NONE, h.requests, Clock.systemUTC())) {
            return engine.coordinator().runNow("test", false);
        }
    }

    private String settingsText() {
        try (SqliteOffloadJournal journal = SqliteOffloadJournal.open(h.stateDir())) {
            return journal.setting(TargetPins.SETTING).orElseThrow();
        }
    }

    private void deleteStateDir() throws IOException {
        try (Stream<Path> files = Files.walk(h.stateDir())) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
