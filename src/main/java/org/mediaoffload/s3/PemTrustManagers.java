package org.mediaoffload.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust managers for {@code offload.s3.ca-bundle}: a PEM file holding one or more certificates.
 *
 * <p>The bundle <em>replaces</em> the JDK's trust store rather than adding to it, exactly as
 * {@code AWS_CA_BUNDLE} does for the AWS CLI: whoever sets it runs a private CA (MinIO, Garage, Ceph
 * behind an internal PKI) and wants exactly those anchors trusted.
 */
final class PemTrustManagers {
    private PemTrustManagers() {}

    static TrustManager[] fromPemFile(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(describe(pemFile) + " contains no PEM certificate"
                        + " (expected one or more '-----BEGIN CERTIFICATE-----' blocks)");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (IOException e) {
            throw new IllegalArgumentException(describe(pemFile) + " cannot be read: " + e, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(describe(pemFile) + " is not a PEM certificate bundle: " + e.getMessage(), e);
        }
    }

    private static String describe(Path pemFile) {
        return "offload.s3.ca-bundle (or AWS_CA_BUNDLE) file " + pemFile;
    }
}
