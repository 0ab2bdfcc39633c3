package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.mediaoffload.pipeline.JournalEntry;
import org.mediaoffload.pipeline.OffloadJournal;
import org.mediaoffload.pipeline.NamedThreadFactory;

/**
 * {@code --verify-content}: reads originals back with our SSE-C key and compares their SHA-256 with the sha256
 * Synapse recorded (1.128+), else their MD5 with the one our upload journaled. A sample of N is drawn uniformly
 * from all originals in the bucket (reservoir sampling, N entries of memory); "all" checks them in batches as the
 * merge finds them.
 */
final class ContentCheck implements AutoCloseable {
    static final int ALL_BATCH = 256;

    private record Sample(String key, String relative, String sha256, long size) {}

    private final int wanted;
    private final AuditBucket bucket;
    private final OffloadJournal runJournal;
    private final Tallies tallies;
    private final String prefix;
    private final Random random = new Random();
    private final List<Sample> samples = new ArrayList<>();
    private final ExecutorService readers;
    private final AtomicLong checked = new AtomicLong();
    private final AtomicLong unverifiable = new AtomicLong();
    private long seen;

    ContentCheck(int wanted, AuditBucket bucket, OffloadJournal runJournal, Tallies tallies, String prefix,
            int concurrency) {
        this.wanted = wanted;
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.runJournal = requireNonNull(runJournal, "runJournal is null");
        this.tallies = requireNonNull(tallies, "tallies is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.readers = wanted == 0 ? null : Executors.newFixedThreadPool(concurrency, new NamedThreadFactory("audit-read"));
    }

    /** An original in the bucket whose row says it should be there. */
    void offer(String key, Entry row) {
        if (wanted == 0) {
            return;
        }
        Sample s = new Sample(key, key.substring(prefix.length()), row.sha256().isEmpty() ? null : row.sha256(),
                row.size());
        seen++;
        if (wanted == AuditRequest.ALL) {
            samples.add(s);
            if (samples.size() >= ALL_BATCH) {
                verify();
            }
        } else if (samples.size() < wanted) {
            samples.add(s);
        } else {
            long j = (long) (random.nextDouble() * seen);
            if (j < wanted) {
                samples.set((int) j, s);
            }
        }
    }

    void finish() {
        if (wanted != 0) {
            verify();
        }
    }

    private void verify() {
        List<String> withoutHash = samples.stream().filter(s -> s.sha256() == null).map(Sample::key).toList();
        Map<String, JournalEntry> uploads = withoutHash.isEmpty() ? Map.of() : runJournal.lookup(withoutHash);
        List<Future<?>> reads = new ArrayList<>();
        for (Sample s : samples) {
            reads.add(readers.submit(() -> check(s, uploads.get(s.key()))));
        }
        for (Future<?> read : reads) {
            try {
                read.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading objects back", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        samples.clear();
    }

    private void check(Sample s, JournalEntry upload) {
        AuditBucket.Content content = bucket.read(s.key());
        if (content instanceof AuditBucket.Content.Unreadable) {
            tallies.add(AuditClass.UNREADABLE, s.size(), s.relative());
        } else if (content instanceof AuditBucket.Content.Read read) {
            if (s.sha256() != null) {
                checked.incrementAndGet();
                if (!s.sha256().equalsIgnoreCase(read.sha256Hex())) {
                    tallies.add(AuditClass.CORRUPT, read.size(), s.relative());
                }
            } else if (upload != null && upload.md5Hex().isPresent() && upload.size() == read.size()) {
                checked.incrementAndGet();
                if (!upload.md5Hex().get().equalsIgnoreCase(read.md5Hex())) {
                    tallies.add(AuditClass.CORRUPT, read.size(), s.relative());
                }
            } else {
                // Decrypted with our key (so Synapse can serve it), but nothing to compare the bytes with.
                unverifiable.incrementAndGet();
            }
        }
        // Absent: deleted since the listing; the next audit judges it.
    }

    long checked() {
        return checked.get();
    }

    long unverifiable() {
        return unverifiable.get();
    }

    @Override
    public void close() {
        if (readers != null) {
            readers.shutdownNow();
        }
    }
}
