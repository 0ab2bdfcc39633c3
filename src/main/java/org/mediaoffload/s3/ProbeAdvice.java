package org.mediaoffload.s3;

import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStoreException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Turns a failed probe request into what the operator should change. */
final class ProbeAdvice {
    private final S3Config config;

    ProbeAdvice(S3Config config) {
        this.config = config;
    }

    String forFailure(ObjectStoreException e) {
        String code = e.errorCode();
        if (e.status() == 0) {
            return e.getMessage() + ". " + connectionAdvice(e);
        }
        if (e.status() == 301 || code.equals("PermanentRedirect") || code.equals("AuthorizationHeaderMalformed")) {
            return e.getMessage() + ". " + regionOrStyleAdvice(e);
        }
        if (e.status() == 404 || code.equals("NoSuchBucket")) {
            return e.getMessage() + ". Check offload.s3.bucket (\"" + config.bucket() + "\"; BUCKET in the playbook's"
                    + " env file); if the bucket exists, the"
                    + " store may need the other addressing style: " + togglePathStyle();
        }
        if (code.equals("InvalidStorageClass")) {
            return e.getMessage() + ". The store does not support storage class " + config.storageClass()
                    + ": set offload.s3.storage-class to one it supports (STANDARD works everywhere).";
        }
        if (code.equals("BadDigest") || code.equals("InvalidDigest")) {
            return e.getMessage() + ". The store rejected a correct Content-MD5: something between us and the store"
                    + " changes request bodies, or the store does not implement Content-MD5. Uploads cannot be"
                    + " verified, so no local file would ever be deleted.";
        }
        if (code.equals("SignatureDoesNotMatch") || code.equals("InvalidAccessKeyId")) {
            // Named as the playbook's env file names them too: an MDAD admin set them there, not in HOCON.
            return e.getMessage() + ". The store refuses our credentials: check offload.s3.access-key-id and"
                    + " offload.s3.secret-access-key (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the playbook's"
                    + " env file; or the instance profile), and offload.s3.region (AWS_DEFAULT_REGION).";
        }
        if (e.status() == 403) {
            return e.getMessage() + ". Access denied: check the credentials, and that they may"
                    + " ListBucket on the bucket and PutObject/GetObject under the prefix \"" + config.prefix() + "\".";
        }
        return UploadRefusal.explain(e, config).getMessage() + ".";
    }

    /** The upload was refused and the same upload as STANDARD was accepted. */
    String storageClassUndefined(ObjectStoreException e) {
        return e.getMessage() + ". The same upload with storage class STANDARD is accepted: the store does not define"
                + " storage class " + config.storageClass() + ". To fix, "
                + UploadRefusal.storageClassAdvice(config);
    }

    /** The upload was refused and the same upload without SSE-C was accepted. */
    String sseCBlocked(ObjectStoreException e) {
        if (UploadRefusal.mayBeSseCOverHttp(e, config)) {
            return e.getMessage() + ". The bucket accepts uploads without SSE-C but refuses our SSE-C key over plain"
                    + " HTTP. " + UploadRefusal.sseCOverHttpAdvice(config);
        }
        return e.getMessage() + ". The bucket accepts plain uploads but refuses SSE-C. On AWS, SSE-C is blocked by"
                + " default on new buckets since April 2026: set the bucket's default-encryption"
                + " BlockedEncryptionTypes to NONE (aws s3api put-bucket-encryption ... \"BlockedEncryptionTypes\":"
                + " {\"EncryptionType\": [\"NONE\"]}). Other stores accept SSE-C over HTTPS only, and some need it"
                + " enabled (MinIO: KMS configured). Or remove offload.s3.sse-customer-key if Synapse's provider"
                + " does not use one.";
    }

    /** No response because the certificate is not trusted or the host name does not resolve. */
    static boolean isTlsOrDnsFailure(ObjectStoreException e) {
        return hasCause(e, CertificateException.class) || hasCause(e, SSLPeerUnverifiedException.class)
                || hasCause(e, UnknownHostException.class);
    }

    private String connectionAdvice(ObjectStoreException e) {
        if (hasCause(e, CertificateException.class) || hasCause(e, SSLPeerUnverifiedException.class)) {
            if (config.caBundle().isPresent()) {
                // Do not advise setting what is set: the bundle in use lacks the CA (check-config's list of where
                // each setting came from says whether AWS_CA_BUNDLE or offload.s3.ca-bundle chose it).
                return "The endpoint's TLS certificate is not signed by a CA in " + config.caBundle().get()
                        + " (the CA bundle in use: offload.s3.ca-bundle, or AWS_CA_BUNDLE, which wins), or is not"
                        + " issued for its host name: add the CA that signed it to that file, or point the setting"
                        + " that chose it at the right one.";
            }
            return "The endpoint's TLS certificate is not trusted (or not issued for its host name): set"
                    + " offload.s3.ca-bundle (or AWS_CA_BUNDLE) to the PEM file of the CA that signed it.";
        }
        if (hasCause(e, UnknownHostException.class)) {
            return "The host name does not resolve: check offload.s3.endpoint"
                    + (config.pathStyle() ? "." : "; virtual-hosted addressing needs DNS for <bucket>.<endpoint host>: "
                    + togglePathStyle());
        }
        return "Check offload.s3.endpoint (" + config.endpoint().map(Object::toString).orElse("AWS default")
                + ") and that the store is up and reachable from this host.";
    }

    private String regionOrStyleAdvice(ObjectStoreException e) {
        String region = e.getCause() instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                ? aws.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region").orElse("")
                : "";
        if (!region.isEmpty() && !region.equals(config.region())) {
            return "The bucket is in region " + region + ": set offload.s3.region = " + region + ".";
        }
        return "The store redirects us: check offload.s3.region (\"" + config.region() + "\") and offload.s3.endpoint, or "
                + togglePathStyle();
    }

    private String togglePathStyle() {
        return "set offload.s3.path-style = " + !config.pathStyle() + " (now " + config.pathStyle() + ").";
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
