package org.mediaoffload.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The Synapse S3 storage provider's settings, from a {@code media_storage_providers} entry of homeserver.yaml
 * whose module is {@code s3_storage_provider.S3StorageProviderBackend}. What we upload must be readable with
 * these; {@link ProviderCompatibility} compares them with ours.
 *
 * @param source               file and line of the entry, for messages
 * @param prefix               upstream default ""
 * @param sseCustomerKey       the raw configured string, as the provider hands it to boto3
 * @param sseCustomerAlgorithm upstream default AES256
 * @param storageClass         upstream default STANDARD
 * @param storeLocal           Synapse's default is false when the flag is missing
 * @param storeRemote          Synapse's default is false when the flag is missing
 */
public record ProviderSettings(
        String source,
        String bucket,
        String prefix,
        Optional<String> endpointUrl,
        Optional<String> regionName,
        Optional<Secret> sseCustomerKey,
        String sseCustomerAlgorithm,
        String storageClass,
        boolean storeLocal,
        boolean storeRemote) {

    public ProviderSettings {
        requireNonNull(source, "source is null");
        requireNonNull(bucket, "bucket is null");
        requireNonNull(prefix, "prefix is null");
        requireNonNull(endpointUrl, "endpointUrl is null");
        requireNonNull(regionName, "regionName is null");
        requireNonNull(sseCustomerKey, "sseCustomerKey is null");
        requireNonNull(sseCustomerAlgorithm, "sseCustomerAlgorithm is null");
        requireNonNull(storageClass, "storageClass is null");
    }
}
