package org.mediaoffload.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed EC certificate for localhost / 127.0.0.1, made once per JVM with the JDK's own
 * {@code keytool}: a PKCS12 keystore for {@link S3ProxyServer} and the certificate as PEM for our
 * {@code ca-bundle} setting, so the tests, the demo and the bench talk HTTPS exactly as production does.
 */
public record SelfSignedCertificate(Path keystore, String password, Path pem) {
    private static SelfSignedCertificate instance;

    public static synchronized SelfSignedCertificate get() {
        if (instance == null) {
            instance = generate();
        }
        return instance;
    }

    private static SelfSignedCertificate generate() {
        try {
            Path dir = Files.createTempDirectory("s3proxy-tls");
            dir.toFile().deleteOnExit();
            Path keystore = dir.resolve("keystore.p12");
            Path pem = dir.resolve("ca.pem");
            String password = java.util.UUID.randomUUID().toString();
            keytool("-genkeypair", "-alias", "s3proxy", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30",
                    "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass", password, "-keypass", password);
            keytool("-exportcert", "-rfc", "-alias", "s3proxy", "-keystore", keystore.toString(),
                    "-storepass", password, "-file", pem.toString());
            keystore.toFile().deleteOnExit();
            pem.toFile().deleteOnExit();
            return new SelfSignedCertificate(keystore, password, pem);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a self-signed TLS certificate with keytool", e);
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
