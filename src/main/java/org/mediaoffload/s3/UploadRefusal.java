package org.mediaoffload.s3;

import java.util.Locale;
import java.util.Optional;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStoreException;

/**
 * The likely cause of an upload refused with a bare 400, for the run's errors and {@code check-config}'s advice.
 * Some stores do not say what they refuse: Ceph RGW answers {@code 400 InvalidArgument} without a message to a
 * storage class its zone's placement does not define, and {@code 400 InvalidRequest} without a message to SSE-C
 * over plain HTTP. The cause is read from the answer and our own request (the class we asked for, the scheme we
 * used), never from the store's host name; {@code check-config} then confirms it with a second probe upload.
 */
final class UploadRefusal {
    private static final String STANDARD = "STANDARD";

    private UploadRefusal() {}

    /** {@code e} with the likely cause appended to its message, or {@code e} itself when nothing fits. */
    static ObjectStoreException explain(ObjectStoreException e, S3Config config) {
        return likelyCause(e, config)
                .map(cause -> new ObjectStoreException(e.getMessage() + ". " + cause, e.status(), e.errorCode(),
                        e.getCause()))
                .orElse(e);
    }

    static Optional<String> likelyCause(ObjectStoreException e, S3Config config) {
        if (mayBeSseCOverHttp(e, config)) {
            return Optional.of("The store likely refuses SSE-C over plain HTTP: " + sseCOverHttpAdvice(config));
        }
        if (mayBeUndefinedStorageClass(e, config)) {
            return Optional.of("The store likely does not define storage class " + config.storageClass()
                    + " (run check-config to confirm): " + storageClassAdvice(config));
        }
        return Optional.empty();
    }

    /** AWS and Ceph RGW refuse SSE-C keys sent in clear with a 400 InvalidRequest. */
    static boolean mayBeSseCOverHttp(ObjectStoreException e, S3Config config) {
        return e.status() == 400 && e.errorCode().equals("InvalidRequest") && config.sseCustomerKey().isPresent()
                && plainHttp(config);
    }

    /** AWS says InvalidStorageClass; Ceph RGW says only InvalidArgument. STANDARD is defined everywhere. */
    static boolean mayBeUndefinedStorageClass(ObjectStoreException e, S3Config config) {
        return e.status() == 400 && (e.errorCode().equals("InvalidArgument")
                || e.errorCode().equals("InvalidStorageClass")) && !config.storageClass().equals(STANDARD);
    }

    static boolean plainHttp(S3Config config) {
        return config.endpoint().map(u -> "http".equals(u.getScheme().toLowerCase(Locale.ROOT))).orElse(false);
    }

    static String sseCOverHttpAdvice(S3Config config) {
        return "SSE-C sends the key with every request, so stores accept it over HTTPS only. Set offload.s3.endpoint"
                + " (now " + config.endpoint().map(Object::toString).orElse("") + ") to the store's https:// address,"
                + " and Synapse's endpoint_url likewise (Ceph RGW: an ssl_endpoint in rgw_frontends; its"
                + " rgw_crypt_require_ssl = false would accept keys in clear, which is not advised).";
    }

    static String storageClassAdvice(S3Config config) {
        String sc = config.storageClass();
        return "set offload.s3.storage-class = STANDARD, or define " + sc + " in the store. Ceph RGW knows only"
                + " STANDARD until its zone placement lists more: radosgw-admin zonegroup placement add"
                + " --rgw-zonegroup default --placement-id default-placement --storage-class " + sc
                + "; radosgw-admin zone placement add --rgw-zone default --placement-id default-placement"
                + " --storage-class " + sc + " --data-pool default.rgw.buckets.data; then restart radosgw.";
    }
}
