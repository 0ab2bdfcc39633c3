package org.mediaoffload.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** S3 request latency by operation and errors by operation and HTTP status. */
final class S3RequestMetrics {
    /** Fixed buckets so dashboards can use histogram_quantile without Micrometer's ~70 default buckets. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofSeconds(300)
    };

    private final MeterRegistry registry;

    S3RequestMetrics(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
        // Exported from the start, so increase()/rate() and alerts see 0 rather than an absent series.
        errors("PutObject", "none");
    }

    void completed(String operation, int httpStatus, long nanos) {
        requireNonNull(operation, "operation is null");
        // Micrometer caches meters by id, so looking them up per request is cheap.
        Timer.builder(MetricNames.S3_REQUEST_DURATION)
                .description("S3 request latency, including retries done by the SDK")
                .tag(MetricNames.TAG_OPERATION, operation)
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        // HEAD 404 is an answer ("not there yet"), not a failure.
        boolean expected = httpStatus == 404 && operation.equals("HeadObject");
        if (!expected && (httpStatus == 0 || httpStatus >= 400)) {
            errors(operation, httpStatus == 0 ? "none" : Integer.toString(httpStatus)).increment();
        }
    }

    private Counter errors(String operation, String status) {
        return Counter.builder(MetricNames.S3_REQUEST_ERRORS)
                .description("S3 requests that failed; status none = no HTTP response (network, timeout)")
                .tag(MetricNames.TAG_OPERATION, operation)
                .tag(MetricNames.TAG_STATUS, status)
                .register(registry);
    }
}
