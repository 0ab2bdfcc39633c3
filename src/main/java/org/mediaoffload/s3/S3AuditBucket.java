package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mediaoffload.audit.AuditBucket;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStoreException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket for the audit, through the same client settings and SSE-C headers as the offload. HEAD goes through
 * {@link S3ObjectStore} so both read an object's state the same way. Owns the client.
 */
public final class S3AuditBucket implements AuditBucket {

    private final S3Client client;
    private final S3Config config;
    private final SseC sse;
    private final S3Calls calls;
    private final S3ObjectStore heads;
    private final S3RequestObserver observer;

    public S3AuditBucket(S3Config config, S3RequestObserver observer) {
        this(clientBuilder(config).build(), config, observer);
    }

    S3AuditBucket(S3Client client, S3Config config, S3RequestObserver observer) {
        this.config = requireNonNull(config, "config is null");
        this.client = requireNonNull(client, "client is null");
        this.sse = new SseC(config.sseCustomerKey());
        this.observer = requireNonNull(observer, "observer is null");
        this.calls = new S3Calls(config.bucket(), observer);
        this.heads = new S3ObjectStore(client, config, observer);
    }

    @Override
    public Page list(String prefix, String startAfter, String continuationToken, int maxKeys) {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(config.bucket()).prefix(prefix)
                .maxKeys(maxKeys);
        if (continuationToken != null) {
            request.continuationToken(continuationToken);
        } else if (startAfter != null) {
            request.startAfter(startAfter);
        }
        ListObjectsV2Response page = calls.call("ListObjectsV2", prefix + "*", () -> client.listObjectsV2(request.build()));
        List<BucketObject> objects = new ArrayList<>(page.contents().size());
        for (S3Object o : page.contents()) {
            objects.add(new BucketObject(o.key(), o.size(), o.eTag(), o.lastModified()));
        }
        String next = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        return new Page(objects, next);
    }

    /**
     * The offload's client settings, plus Content-MD5 on DeleteObjects: many stores refuse a DeleteObjects
     * without it, and SDK 2.30+ sends a CRC32 there instead unless told otherwise (WHEN_REQUIRED keeps other
     * requests as the offload sends them: Content-MD5 of our own on uploads, no trailers).
     */
    static S3ClientBuilder clientBuilder(S3Config config) {
        return S3ClientFactory.builder(config).addPlugin(LegacyMd5Plugin.create());
    }

    @Override
    public Deletion delete(List<String> keys) {
        requireNonNull(keys, "keys is null");
        if (keys.isEmpty() || keys.size() > MAX_DELETE) {
            throw new IllegalArgumentException("DeleteObjects takes 1 to " + MAX_DELETE + " keys, not " + keys.size());
        }
        List<ObjectIdentifier> objects = keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
        // Not quiet: the answer names every deleted key, so the journal records only what the store confirmed.
        DeleteObjectsResponse response = calls.call("DeleteObjects", keys.get(0) + " (+" + (keys.size() - 1) + ")",
                () -> client.deleteObjects(b -> b.bucket(config.bucket()).delete(d -> d.objects(objects).quiet(false))));
        List<String> deleted = response.deleted().stream().map(DeletedObject::key).toList();
        Map<String, String> refused = new LinkedHashMap<>();
        for (S3Error e : response.errors()) {
            refused.put(e.key(), e.code() + (e.message() == null ? "" : ": " + e.message()));
        }
        return new Deletion(deleted, refused);
    }

    @Override
    public HeadResult head(String key) {
        return heads.head(key);
    }

    @Override
    public Content read(String key) {
        requireNonNull(key, "key is null");
        GetObjectRequest request = sse.apply(GetObjectRequest.builder().bucket(config.bucket()).key(key)).build();
        long start = System.nanoTime();
        int status = 0;
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(request)) {
            status = in.response().sdkHttpResponse().statusCode();
            return digest(in);
        } catch (SdkException e) {
            status = S3Calls.statusOf(e);
            ObjectStoreException failure = calls.translate("GetObject", key, e);
            return switch (status) {
                case 404 -> new Content.Absent();
                // 400: SSE-C headers refused (another key, or none at write); 403: some stores answer a key
                // mismatch with AccessDenied. Either way Synapse cannot serve these bytes.
                case 400, 403 -> new Content.Unreadable(failure.getMessage());
                default -> throw failure;
            };
        } catch (IOException e) {
            return new Content.Unreadable("GetObject s3://" + config.bucket() + "/" + key + " broke off: "
                    + S3Calls.rootCause(e));
        } finally {
            observer.requestCompleted("GetObject", status, System.nanoTime() - start);
        }
    }

    private static Content digest(InputStream in) throws IOException {
        MessageDigest sha256 = sha256();
        MessageDigest md5 = Md5.newDigest();
        byte[] buffer = new byte[1 << 16];
        long size = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            sha256.update(buffer, 0, n);
            md5.update(buffer, 0, n);
            size += n;
        }
        return new Content.Read(size, HexFormat.of().formatHex(sha256.digest()), Md5.hex(md5.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    @Override
    public Features features() {
        String versioning;
        try {
            var status = calls.call("GetBucketVersioning", "",
                    () -> client.getBucketVersioning(b -> b.bucket(config.bucket()))).statusAsString();
            versioning = status == null || status.isEmpty() ? "Off" : status;
        } catch (ObjectStoreException e) {
            versioning = "unknown (" + e.getMessage() + ")";
        }
        String objectLock;
        try {
            var lock = calls.call("GetObjectLockConfiguration", "",
                    () -> client.getObjectLockConfiguration(b -> b.bucket(config.bucket())));
            objectLock = lock.objectLockConfiguration() != null
                    && "Enabled".equals(lock.objectLockConfiguration().objectLockEnabledAsString()) ? "Enabled" : "Off";
        } catch (ObjectStoreException e) {
            objectLock = "ObjectLockConfigurationNotFoundError".equals(e.errorCode()) ? "Off"
                    : "unknown (" + e.getMessage() + ")";
        }
        return new Features(versioning, objectLock);
    }

    @Override
    public void close() {
        client.close();
    }
}
