package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PathMapTest {
    private final PathMap playbook = new PathMap(Map.of(
            "/matrix-media-store-parent", "/matrix/synapse/storage",
            "/run-postgres", "/matrix/postgres/run",
            "/run", "/var/run-elsewhere",
            "/matrix-media-store-parent/media-store", "/mnt/big-disk/media"));

    @Test
    void longestPrefixWinsOnWholeComponents() {
        assertThat(playbook.map("/matrix-media-store-parent/other")).contains("/matrix/synapse/storage/other");
        assertThat(playbook.map("/matrix-media-store-parent/media-store")).contains("/mnt/big-disk/media");
        assertThat(playbook.map("/matrix-media-store-parent/media-store/x")).contains("/mnt/big-disk/media/x");
        assertThat(playbook.map("/run-postgres")).as("not /run + -postgres").contains("/matrix/postgres/run");
        assertThat(playbook.map("/run/x")).contains("/var/run-elsewhere/x");
        assertThat(playbook.map("/matrix-media-store-parentX")).isEmpty();
        assertThat(playbook.map("/elsewhere")).isEmpty();
    }

    @Test
    void rootAndTrailingSlashes() {
        PathMap map = new PathMap(Map.of("/", "/chroot", "/data", "/"));
        assertThat(map.map("/etc/x")).contains("/chroot/etc/x");
        assertThat(map.map("/data/homeserver.db")).contains("/homeserver.db");
        assertThat(map.map("/data")).contains("/");
    }

    @Test
    void readsFromConfigAndRejectsRelativeEntries() {
        Problems problems = new Problems();
        PathMap map = PathMap.read(ConfigFactory.parseString(
                "offload.path-map { \"/run-postgres/\" = \"/matrix/postgres/run/\", \"relative\" = \"/x\", \"/y\" = 5 }"),
                problems);
        assertThat(map.map("/run-postgres")).contains("/matrix/postgres/run");
        assertThatProblems(problems, 2);
    }

    private static void assertThatProblems(Problems problems, int count) {
        try {
            problems.throwIfAny();
            throw new AssertionError("no problems");
        } catch (ConfigException e) {
            assertThat(e.problems()).hasSize(count).allSatisfy(p -> assertThat(p).startsWith("offload.path-map \""));
        }
    }
}
