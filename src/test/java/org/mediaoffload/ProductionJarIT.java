package org.mediaoffload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.testing.CliProcess;

/** What an admin deploys: the packaged production jar carries no S3 server or demo, and its SBOM lies beside it. */
class ProductionJarIT {
    private static final Path TARGET = Path.of(System.getProperty("offload.target-dir", "target"));
    private static final Path JAR = TARGET.resolve("synapse-media-offload.jar");

    @TempDir
    Path tmp;

    @Test
    void carriesNoS3ServerWebServerOrDemo() throws IOException {
        List<String> names = entries();

        assertThat(names).filteredOn(n -> n.startsWith("org/gaul/") || n.startsWith("org/eclipse/jetty/")
                || n.startsWith("org/jclouds/") || n.startsWith("org/mediaoffload/demo/")
                || n.startsWith("org/mediaoffload/testing/")).isEmpty();
        assertThat(names).contains("org/mediaoffload/Main.class", "reference.conf");
    }

    @Test
    void keepsTheSqliteNativesOfLinuxServersOnly() throws IOException {
        List<String> natives = entries().stream()
                .filter(n -> n.startsWith("org/sqlite/native/") && !n.endsWith("/")).toList();

        assertThat(natives).containsExactlyInAnyOrder(
                "org/sqlite/native/Linux/x86_64/libsqlitejdbc.so",
                "org/sqlite/native/Linux/aarch64/libsqlitejdbc.so",
                "org/sqlite/native/Linux-Musl/x86_64/libsqlitejdbc.so",
                "org/sqlite/native/Linux-Musl/aarch64/libsqlitejdbc.so");
    }

    @Test
    void startsWithJavaJar() {
        CliProcess version = CliProcess.startJar(tmp, JAR, "--version");

        assertThat(version.await()).as(version.stderr()).isZero();
        assertThat(version.stdout()).startsWith("synapse-media-offload ");
    }

    @Test
    void hasACycloneDxSbomOfTheRuntimeDependencies() throws IOException {
        assumeFalse(Boolean.getBoolean("offload.maven-offline"), "cyclonedx-maven-plugin does not run offline");
        String sbom = Files.readString(TARGET.resolve("synapse-media-offload.cdx.json"));

        assertThat(sbom).contains("\"bomFormat\" : \"CycloneDX\"", "pkg:maven/org.postgresql/postgresql@",
                "pkg:maven/org.xerial/sqlite-jdbc@");
        assertThat(sbom).doesNotContain("pkg:maven/org.gaul/", "pkg:maven/org.eclipse.jetty", "pkg:maven/org.junit");
    }

    private static List<String> entries() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            return jar.stream().map(ZipEntry::getName).toList();
        }
    }
}
