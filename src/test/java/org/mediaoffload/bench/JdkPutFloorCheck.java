package org.mediaoffload.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.config.SseCustomerKey;
import org.mediaoffload.s3.S3ClientFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Proof (not timed, its own JVM, through the SDK) that a {@link JdkPutFloor} run stored what it claims: the bucket
 * holds exactly one object per file and pass (listed), a few of them read back with the SSE-C key equal to the
 * local files, and the same object without the key is refused (the server holds it SSE-C encrypted).
 *
 * <p>Usage: {@code JdkPutFloorCheck <server-info> <bucket> <media-dir> <files.txt> <passes>}. Prints one line
 * {@code listed=N expected=M missing=K read_back=R/S no_key_refused=yes|no} and exits 1 if anything is off.
 */
public final class JdkPutFloorCheck {
    private JdkPutFloorCheck() {}

    public static void main(String[] args) throws Exception {
        Properties info = BenchServer.readInfo(Path.of(args[0]));
        String bucket = args[1];
        Path media = Path.of(args[2]);
        List<String> files = Files.readAllLines(Path.of(args[3]));
        int passes = Integer.parseInt(args[4]);
        S3Config config = BenchServer.config(info, bucket, 4);
        SseCustomerKey sse = config.sseCustomerKey().orElseThrow();
        Set<String> expected = new HashSet<>();
        for (int p = 1; p <= passes; p++) {
            for (String f : files) {
                expected.add((p == 1 ? "" : "pass" + p + "/") + f);
            }
        }
        try (S3Client s3 = S3ClientFactory.create(config)) {
            Set<String> listed = new HashSet<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                listed.add(o.key());
            }
            Set<String> missing = new HashSet<>(expected);
            missing.removeAll(listed);
            int checked = 0;
            int equal = 0;
            for (int i = 0; i < files.size(); i += Math.max(1, files.size() / 7)) {
                String key = (passes == 1 ? "" : "pass" + passes + "/") + files.get(i);
                ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)
                        .sseCustomerAlgorithm(sse.algorithm()).sseCustomerKey(sse.keyBase64())
                        .sseCustomerKeyMD5(sse.keyMd5Base64()));
                checked++;
                if (Arrays.equals(got.asByteArray(), Files.readAllBytes(media.resolve(files.get(i))))) {
                    equal++;
                }
            }
            boolean refused;
            try {
                s3.headObject(b -> b.bucket(bucket).key(files.get(0)));
                refused = false;
            } catch (S3Exception e) {
                refused = true;
            }
            System.out.printf("listed=%d expected=%d missing=%d read_back=%d/%d no_key_refused=%s%n", listed.size(),
                    expected.size(), missing.size(), equal, checked, refused ? "yes" : "no");
            if (listed.size() != expected.size() || !missing.isEmpty() || equal != checked || !refused) {
                System.exit(1);
            }
        }
    }
}
