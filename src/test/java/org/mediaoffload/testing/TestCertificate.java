package org.mediaoffload.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed EC certificate for localhost / 127.0.0.1, made once per JVM with the JDK's own
 * {@code keytool}: a PKCS12 keystore for S3Proxy and the certificate as PEM for our {@code ca-bundle}.
 */
public record TestCertificate(Path keystore, String password, Path pem) {
    private static TestCertificate instance;

    public static synchronized TestCertificate get() {
        if (instance == null) {
            instance = generate();
        }
        return instance;
    }

    private static TestCertificate generate() {
        try {
            Path dir = Files.createTempDirectory("s3proxy-tls");
            dir.toFile().deleteOnExit();
            Path keystore = dir.resolve("keystore.p12");
            Path pem = dir.resolve("ca.pem");
            String password = "s3proxy-test";
            keytool("-genkeypair", "-alias", "s3proxy", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30",
                    "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass", password, "-keypass", password);
            keytool("-exportcert", "-rfc", "-alias", "s3proxy", "-keystore", keystore.toString(),
                    "-storepass", password, "-file", pem.toString());
            keystore.toFile().deleteOnExit();
            pem.toFile().deleteOnExit();
            return new TestCertificate(keystore, password, pem);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a test TLS certificate", e);
        }
    }

    private static void keytool(String... args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed (" + process.exitValue() + "): " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
