package org.mediaoffload.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.mediaoffload.pipeline.ObjectStoreException;

/**
 * The failures an {@link InMemoryObjectStore} is told to answer instead of doing the request: for the next N calls of
 * an S3 operation, or for every call of an operation on the keys a predicate picks. Each failure is the answer the
 * real store gives to that HTTP status ({@code 0} = no response, as after a refused connection or timeout), so a HEAD
 * failed with 404 reads as absent, with 403 as unknown, with 5xx throws, exactly as {@code S3ObjectStore} reports it.
 * Thread-safe; the first matching plan (in the order added) answers a call.
 */
final class InjectedFaults {
    private final List<Plan> plans = new ArrayList<>();

    /** One planned failure; {@code remaining < 0} means every matching call until cleared. */
    private static final class Plan {
        final String operation;
        final Predicate<String> keys;
        final int status;
        final String errorCode;
        int remaining;

        Plan(String operation, Predicate<String> keys, int status, String errorCode, int remaining) {
            this.operation = operation;
            this.keys = keys;
            this.status = status;
            this.errorCode = errorCode;
            this.remaining = remaining;
        }
    }

    synchronized void add(String operation, Predicate<String> keys, int status, String errorCode, int times) {
        plans.add(new Plan(operation, keys, status, errorCode, times));
    }

    synchronized void clear() {
        plans.clear();
    }

    /** The failure for this call, if one is planned (the plan is used up by it). */
    synchronized Optional<ObjectStoreException> next(String operation, String key) {
        for (Plan plan : plans) {
            if (plan.operation.equals(operation) && plan.remaining != 0 && plan.keys.test(key)) {
                if (plan.remaining > 0) {
                    plan.remaining--;
                }
                return Optional.of(failure(operation, key, plan.status, plan.errorCode));
            }
        }
        return Optional.empty();
    }

    static ObjectStoreException failure(String operation, String key, int status, String errorCode) {
        String where = operation + " s3://in-memory/" + key;
        String message = status == 0
                ? where + " failed: no response (injected)"
                : where + " failed: HTTP " + status + (errorCode.isEmpty() ? "" : ", S3 error code " + errorCode);
        return new ObjectStoreException(message, status, errorCode, null);
    }

    /** The error code S3 sends with a status, for faults given without one (HEAD answers carry none). */
    static String defaultCode(String operation, int status) {
        if (operation.equals(InMemoryObjectStore.HEAD)) {
            return "";
        }
        return switch (status) {
            case 400 -> "BadRequest";
            case 403 -> "AccessDenied";
            case 404 -> "NoSuchKey";
            case 429 -> "SlowDown";
            case 500 -> "InternalError";
            case 503 -> "ServiceUnavailable";
            default -> "";
        };
    }
}
