package org.mediaoffload.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mediaoffload.audit.AuditBucket;
import org.mediaoffload.audit.AuditBucket.BucketObject;
import org.mediaoffload.s3.S3AuditBucket;
import org.mediaoffload.s3.S3RequestObserver;

/**
 * Empties a bucket of the bench's server between runs (bench/run.sh clear_bucket on Ceph RGW): lists it a page of
 * 1,000 keys at a time and sends each page as one DeleteObjects, several at once. RGW deletes a request's keys with
 * rgw_multi_obj_del_max_aio (16) in flight, so this is much faster than radosgw-admin's bucket rm, which stats and
 * deletes one object after the other (3,409 objects: 12.7-19.2 s against 7.6-11.6 s this way, on 2 cores with the wait for Ceph to settle). Nothing here is measured.
 *
 * <p>Usage: {@code EmptyBucket <server-info> <bucket>}; prints {@code deleted=N refused=M} and exits 1 if the store
 * refused any key, so the bench stops instead of measuring the next run against a fuller store.
 */
public final class EmptyBucket {
    private static final int IN_FLIGHT = 4;

    private EmptyBucket() {}

    public static void main(String[] args) throws Exception {
        long deleted = 0;
        long refused = 0;
        try (AuditBucket bucket = new S3AuditBucket(BenchServer.config(BenchServer.readInfo(Path.of(args[0])), args[1],
                IN_FLIGHT), S3RequestObserver.NONE)) {
            ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
            List<Future<AuditBucket.Deletion>> deletions = new ArrayList<>();
            String token = null;
            do {
                AuditBucket.Page page = bucket.list("", null, token, AuditBucket.MAX_DELETE);
                List<String> keys = page.objects().stream().map(BucketObject::key).toList();
                if (!keys.isEmpty()) {
                    deletions.add(pool.submit(() -> bucket.delete(keys)));
                }
                token = page.nextToken();
            } while (token != null);
            for (Future<AuditBucket.Deletion> d : deletions) {
                AuditBucket.Deletion done = d.get();
                deleted += done.deleted().size();
                refused += done.refused().size();
                done.refused().entrySet().stream().limit(3).forEach(e -> System.err.println("refused " + e));
            }
            pool.shutdown();
        }
        System.out.println("deleted=" + deleted + " refused=" + refused);
        System.exit(refused == 0 ? 0 : 1);
    }
}
