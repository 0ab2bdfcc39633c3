package org.mediaoffload.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediaoffload.testing.OffloadHarness.DAY_MS;
import static org.mediaoffload.testing.OffloadHarness.bytes;
import static org.mediaoffload.testing.OffloadHarness.localOriginal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mediaoffload.testing.OffloadHarness;
import org.mediaoffload.testing.OffloadHarness.Db;
import org.mediaoffload.testing.S3ProxyTestBase;
import org.mediaoffload.testing.SecondUser;
import org.mediaoffload.testing.TestPostgres;

/**
 * deploy/PLAYBOOK-MIGRATION.md as written, on a host whose playbook files are root-owned: its "Install" commands
 * run as root against an {@code install.sh --root} tree, then the service's ExecStart= from the shipped drop-in runs
 * as another user with the credentials systemd's LoadCredential= would hand it. systemctl is not run (no systemd
 * in CI); every other command of the section is, so a doc change that breaks it fails here.
 */
class PlaybookMigrationDocTest extends S3ProxyTestBase {
    private static final Path DOC = Path.of("deploy/PLAYBOOK-MIGRATION.md");
    private static final Pattern HOST_PATHS = Pattern.compile("(?<=[\\s=:\"])/(etc|opt|matrix|var/lib|run)/");

    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    @Test
    void theInstallSectionWorksAsWrittenAndTheServiceRunsAsItsUser() throws Exception {
        SecondUser.require();
        SecondUser.makeTraversable(tmp);
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path storage = Files.createDirectories(root.resolve("matrix/synapse/storage"));
        try (OffloadHarness h = new OffloadHarness(Db.POSTGRES, storage, server)) {
            h.addLocal("docMediaAAAAAAAAAAAAAAAA", bytes(4_000, 1), 3 * DAY_MS);
            Path mediaStore = Files.move(h.mediaStore(), storage.resolve("media-store"));
            chownTree(mediaStore);
            writePlaybookFiles(root, h);
            Path caBundle = Files.copy(server.caBundlePath(), root.resolve("ca.pem"));
            Files.setPosixFilePermissions(caBundle, PosixFilePermissions.fromString("rw-r--r--"));

            List<String> ran = new ArrayList<>();
            for (String command : commandsOf(section("## 2. Install"))) {
                if (command.startsWith("systemctl ")) {
                    continue; // no systemd here; systemd-analyze verify covers the units (SystemdUnitTest)
                }
                String local = forRoot(command, root);
                if (local.startsWith("java -jar ")) {
                    relocateInstalledConfig(root);
                }
                Commands result = sh(local, Map.of("AWS_CA_BUNDLE", caBundle.toString()));
                assertThat(result.exitCode()).as(local + "\n" + result.output()).isZero();
                ran.add(local);
            }
            assertThat(ran).as("install.sh, the drop-in and check-config ran")
                    .anySatisfy(c -> assertThat(c).startsWith("deploy/install.sh"))
                    .anySatisfy(c -> assertThat(c).contains("check-config"));

            Path stateDir = root.resolve("var/lib/synapse-media-offload");
            try (var files = Files.list(stateDir)) {
                assertThat(files).as("check-config as root recorded the confirmed key").isNotEmpty()
                        .allSatisfy(f -> assertThat(SecondUser.uidOf(f)).as(f.toString()).isEqualTo(SecondUser.UID));
            }

            // The service, as systemd would start it: LoadCredential= copies, readable by the service user only.
            Path credentials = Files.createDirectories(root.resolve("run/credentials/synapse-media-offload.service"));
            Path ext = root.resolve("matrix/synapse/ext/s3-storage-provider");
            for (String[] c : new String[][] {{"env", "env"}, {"database.yaml", "data/database.yaml"},
                    {"homeserver.yaml", "../../config/homeserver.yaml"}}) {
                Path copy = Files.copy(ext.resolve(c[1]), credentials.resolve(c[0]));
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("r--------"));
                SecondUser.chown(copy);
            }
            SecondUser.chown(credentials);
            String execStart = forRoot(execStartOf(root.resolve(
                    "etc/systemd/system/synapse-media-offload.service.d/playbook-host.conf")), root);
            String runOnce = execStart.replace(" daemon ", " run-once ");
            Commands run = sh("exec " + String.join(" ", setpriv()) + " sh -c '" + runOnce + "'",
                    Map.of("CREDENTIALS_DIRECTORY", credentials.toString(), "JAVA_OPTS", "-Xmx256m",
                            "AWS_CA_BUNDLE", caBundle.toString()));
            assertThat(run.exitCode()).as(runOnce + "\n" + run.output()).isZero();
            assertThat(run.output()).contains("succeeded").doesNotContain("cannot be written")
                    .doesNotContain(OffloadHarness.SSE_KEY);
            assertThat(mediaStore.resolve(localOriginal("docMediaAAAAAAAAAAAAAAAA"))).doesNotExist();
            assertThat(h.objectBytes(localOriginal("docMediaAAAAAAAAAAAAAAAA"))).contains(bytes(4_000, 1));
        }
    }

    /** The playbook's files as it writes them: 0640 root, container paths, the media store owned by its user. */
    private void writePlaybookFiles(Path root, OffloadHarness h) throws IOException {
        Path ext = Files.createDirectories(root.resolve("matrix/synapse/ext/s3-storage-provider/data"))
                .getParent();
        TestPostgres.Database db = h.postgres();
        rootOnly(Files.writeString(ext.resolve("env"), "AWS_ACCESS_KEY_ID=" + server.accessKey() + "\n"
                + "AWS_SECRET_ACCESS_KEY=" + server.secretKey() + "\nAWS_DEFAULT_REGION=us-east-1\n"
                + "ENDPOINT=" + server.endpoint() + "\nBUCKET=" + h.bucket() + "\n"
                + "SSE_CUSTOMER_KEY=" + OffloadHarness.SSE_KEY + "\nSSE_CUSTOMER_ALGO=AES256\nSTORAGE_CLASS=STANDARD\n"
                + "MEDIA_PATH=/matrix-media-store-parent/media-store\nUPDATE_DB_DURATION=0d\n"));
        // TCP here (CI's PostgreSQL); the playbook's socket directory is covered by the catalog tests.
        rootOnly(Files.writeString(ext.resolve("data/database.yaml"), "user: " + db.user() + "\npassword: \""
                + db.password().orElse("") + "\"\ndatabase: " + db.name() + "\nhost: " + db.host() + "\nport: "
                + db.port() + "\n"));
        Path config = Files.createDirectories(root.resolve("matrix/synapse/config"));
        rootOnly(Files.writeString(config.resolve("homeserver.yaml"), """
                server_name: example.org
                media_store_path: /matrix-media-store-parent/media-store
                media_storage_providers:
                - module: s3_storage_provider.S3StorageProviderBackend
                  store_local: true
                  store_remote: true
                  store_synchronous: false
                  config:
                    bucket: %s
                    endpoint_url: %s
                    region_name: us-east-1
                    sse_customer_key: "%s"
                """.formatted(h.bucket(), server.endpoint(), OffloadHarness.SSE_KEY)));
        for (Path dir = ext; !dir.equals(root); dir = dir.getParent()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static void rootOnly(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    }

    /** The doc's commands with the host paths moved under the test's root, the jar and user made local. */
    private String forRoot(String command, Path root) throws IOException {
        String local = HOST_PATHS.matcher(" " + command).replaceAll(Matcher.quoteReplacement(root.toString()) + "/$0")
                .strip();
        local = local.replace(root + "//", root + "/");
        if (local.startsWith("deploy/install.sh")) {
            local = local.replace("--user matrix", "--user " + SecondUser.NAME)
                    + " --root " + root + " --jar " + launcherJar();
        }
        return local;
    }

    /*
     * install.sh --root installs the example config with the host's absolute paths; the relocated tree needs them
     * under the root too (path-map targets, state directory).
     */
    private static void relocateInstalledConfig(Path root) throws IOException {
        Path conf = root.resolve("etc/synapse-media-offload/offload.conf");
        String text = Files.readString(conf);
        text = HOST_PATHS.matcher(text).replaceAll(Matcher.quoteReplacement(root.toString()) + "/$0")
                .replace(root + "//", root + "/");
        // Several sessions share this machine: no fixed port.
        Files.writeString(conf, text + "\noffload.http.port = 0\n");
    }

    private String section(String heading) throws IOException {
        String doc = Files.readString(DOC);
        int start = doc.indexOf(heading);
        assertThat(start).as(heading + " in " + DOC).isNotNegative();
        int end = doc.indexOf("\n## ", start + heading.length());
        return doc.substring(start, end < 0 ? doc.length() : end);
    }

    /** The commands of the section's ```sh blocks, continuation lines joined, comments dropped. */
    private static List<String> commandsOf(String section) {
        List<String> commands = new ArrayList<>();
        Matcher block = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (block.find()) {
            String joined = block.group(1).replaceAll("\\\\\\n\\s*", " ");
            for (String line : joined.split("\\n")) {
                String command = line.strip();
                if (!command.isEmpty() && !command.startsWith("#")) {
                    commands.add(command);
                }
            }
        }
        return commands;
    }

    private static String execStartOf(Path dropIn) throws IOException {
        return Files.readAllLines(dropIn).stream().filter(l -> l.startsWith("ExecStart=/")).findFirst()
                .orElseThrow().substring("ExecStart=".length()).replace("/usr/bin/java", javaBin());
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> setpriv() {
        return List.of("/usr/bin/setpriv", "--reuid=" + SecondUser.UID, "--regid=" + SecondUser.GID,
                "--clear-groups", "--");
    }

    private Commands sh(String command, Map<String, String> env) throws Exception {
        String withJava = command.startsWith("java ") ? javaBin() + command.substring(4) : command;
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", withJava).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().putAll(env);
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + javaTmp());
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new Commands(p.exitValue(), output);
    }

    private Path javaTmp() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("java-tmp"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }

    /** A jar that runs the test classes: Main-Class plus a Class-Path of the second user's readable copies. */
    private Path launcherJar() throws IOException {
        Path jar = tmp.resolve("synapse-media-offload.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.mediaoffload.Main");
        StringBuilder classPath = new StringBuilder();
        for (String entry : SecondUser.readableClasspath().split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            classPath.append(p.toUri()).append(' ');
        }
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString().strip());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.finish(); // the manifest is the whole jar
        }
        return jar;
    }

    private static void chownTree(Path dir) throws IOException {
        try (var all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                SecondUser.chown(p);
            }
        }
    }
}
