package org.mediaoffload.config;

import java.util.Locale;
import java.util.Set;

/**
 * Which storage classes we write. Synapse's provider reads objects with a plain GetObject, so only classes that
 * serve reads synchronously keep media viewable; archive classes would need a restore first.
 */
final class StorageClassPolicy {
    static final String SETTING = "offload.s3.storage-class";

    private static final Set<String> ACCEPTED =
            Set.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "INTELLIGENT_TIERING");
    private static final Set<String> ARCHIVE = Set.of("GLACIER", "DEEP_ARCHIVE");

    private StorageClassPolicy() {}

    /** The class to use (upper case), or the fallback after reporting why the configured one is refused. */
    static String check(SettingsReader reader, String fallback) {
        String configured = reader.string(SETTING, fallback);
        String storageClass = configured.toUpperCase(Locale.ROOT);
        if (ACCEPTED.contains(storageClass)) {
            return storageClass;
        }
        if (storageClass.equals("ONEZONE_IA")) {
            reader.warning(SETTING, "= ONEZONE_IA: s3_media_upload accepts it and Synapse can read such objects,"
                    + " but the Synapse S3 provider refuses ONEZONE_IA as its own storage_class, so Synapse's own"
                    + " uploads cannot use it; objects live in a single availability zone");
            return storageClass;
        }
        if (ARCHIVE.contains(storageClass)) {
            reader.error(SETTING, "= " + storageClass + " is refused: Synapse's S3 provider reads media with a"
                    + " plain GetObject, which fails for objects in " + storageClass + " until they are restored,"
                    + " so offloaded media would stop loading. Use STANDARD, STANDARD_IA or INTELLIGENT_TIERING");
        } else if (storageClass.equals("GLACIER_IR")) {
            // Readable without a restore, but neither upstream tool accepts it and every read is billed per GB.
            reader.error(SETTING, "= GLACIER_IR is refused: neither s3_media_upload nor the Synapse S3 provider"
                    + " accepts it, it bills every read by the GB with a 90-day minimum, and most S3-compatible"
                    + " stores lack it. Use STANDARD_IA or INTELLIGENT_TIERING for rarely read media");
        } else {
            reader.error(SETTING, "= " + configured + " is not a storage class we can use; choose one of STANDARD,"
                    + " REDUCED_REDUNDANCY, STANDARD_IA, INTELLIGENT_TIERING or ONEZONE_IA");
        }
        return fallback;
    }
}
