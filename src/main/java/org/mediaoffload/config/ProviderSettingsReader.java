package org.mediaoffload.config;

import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Finds the S3 storage provider in homeserver.yaml's {@code media_storage_providers}. When several are listed the
 * first wins: Synapse asks providers in order, so the first one that has the object serves it.
 */
final class ProviderSettingsReader {
    static final String MODULE = "s3_storage_provider.S3StorageProviderBackend";

    private ProviderSettingsReader() {}

    static Optional<ProviderSettings> read(YamlDocument document, Problems problems) {
        Optional<Node> providers = YamlDocument.child(document.root(), "media_storage_providers");
        if (providers.isEmpty() || !(providers.get() instanceof SequenceNode list)) {
            return Optional.empty();
        }
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            if (item instanceof MappingNode entry && isS3Provider(entry)) {
                return read(document, entry, "media_storage_providers[" + i + "]", problems);
            }
        }
        return Optional.empty();
    }

    private static boolean isS3Provider(MappingNode entry) {
        return YamlDocument.child(entry, "module").flatMap(YamlDocument::text).map(MODULE::equals).orElse(false);
    }

    private static Optional<ProviderSettings> read(YamlDocument document, MappingNode entry, String key,
            Problems problems) {
        Map<String, Node> flags = YamlDocument.entries(entry);
        Node configNode = flags.get("config");
        if (!(configNode instanceof MappingNode configMapping)) {
            problems.error(document.where(entry, key) + ": the S3 provider has no config mapping");
            return Optional.empty();
        }
        Map<String, Node> config = YamlDocument.entries(configMapping);
        Optional<String> bucket = text(config, "bucket");
        if (bucket.isEmpty()) {
            problems.error(document.where(configNode, key + ".config.bucket") + ": the S3 provider has no bucket");
            return Optional.empty();
        }
        return Optional.of(new ProviderSettings(
                document.where(entry, key),
                bucket.get(),
                text(config, "prefix").orElse(""),
                text(config, "endpoint_url"),
                text(config, "region_name"),
                text(config, "sse_customer_key").map(Secret::new),
                text(config, "sse_customer_algo").orElse("AES256"),
                text(config, "storage_class").orElse("STANDARD"),
                flag(flags, "store_local"),
                flag(flags, "store_remote")));
    }

    private static Optional<String> text(Map<String, Node> mapping, String key) {
        return Optional.ofNullable(mapping.get(key)).flatMap(YamlDocument::text).filter(value -> !value.isEmpty());
    }

    private static boolean flag(Map<String, Node> mapping, String key) {
        return Optional.ofNullable(mapping.get(key)).flatMap(YamlDocument::bool).orElse(false);
    }
}
