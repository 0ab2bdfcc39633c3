package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.pipeline.TargetUnusableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Before a run uploads anything: one ListObjectsV2 (max-keys 1, under our prefix) proves the bucket exists and
 * takes our credentials. A 403 there may only mean no s3:ListBucket (a supported mode), so a GET of a key that
 * does not exist tells the two apart: NoSuchBucket, or 403/404 for the key itself. A HEAD would not do: it has no
 * error body, so no error code.
 */
final class BucketPreflight {
    private static final Logger log = LoggerFactory.getLogger(BucketPreflight.class);

    private final S3Client client;
    private final S3Config config;
    private final S3Calls calls;
    private final SseC sse;
    private final ProbeAdvice advice;

    BucketPreflight(S3Client client, S3Config config, S3Calls calls) {
        this.client = requireNonNull(client, "client is null");
        this.config = requireNonNull(config, "config is null");
        this.calls = requireNonNull(calls, "calls is null");
        this.sse = new SseC(config.sseCustomerKey());
        this.advice = new ProbeAdvice(config);
    }

    void check() {
        try {
            calls.call("ListObjectsV2", config.prefix() + "*", () -> client.listObjectsV2(
                    b -> b.bucket(config.bucket()).prefix(config.prefix()).maxKeys(1)));
        } catch (ObjectStoreException e) {
            if (e.status() == 403 && e.errorCode().equals("AccessDenied")) {
                checkWithoutListing();
            } else if (fatal(e)) {
                throw unusable(e);
            } else {
                // 5xx after the SDK's retries, a throttle: the store is there; the run's outage rules apply.
                log.warn("Bucket preflight: {}; going on", e.getMessage());
            }
        }
    }

    private void checkWithoutListing() {
        String absent = config.prefix() + BucketProbe.PROBE_DIRECTORY + "absent-" + UUID.randomUUID();
        try {
            calls.call("GetObject", absent, () -> client.getObject(sse.apply(
                    GetObjectRequest.builder().bucket(config.bucket()).key(absent)).build(),
                    ResponseTransformer.toBytes()).response());
        } catch (ObjectStoreException e) {
            boolean keyAnswer = e.status() == 404 && !e.errorCode().equals("NoSuchBucket")
                    || e.status() == 403 && e.errorCode().equals("AccessDenied");
            if (keyAnswer) {
                return; // the bucket is there; we may just not list it
            }
            if (fatal(e)) {
                throw unusable(e);
            }
            log.warn("Bucket preflight: {}; going on", e.getMessage());
        }
    }

    /**
     * A TLS or DNS failure, or any 3xx/4xx but a throttle: no upload could succeed as configured. A refused or
     * timed-out connection is an outage, not a setting: the run's outage rules apply to it.
     */
    private static boolean fatal(ObjectStoreException e) {
        if (e.status() == 0) {
            return ProbeAdvice.isTlsOrDnsFailure(e);
        }
        return e.status() > 0 && e.status() < 500 && e.status() != 429;
    }

    private TargetUnusableException unusable(ObjectStoreException e) {
        return new TargetUnusableException("the bucket cannot be used, nothing was uploaded or deleted: "
                + advice.forFailure(e), e);
    }
}
