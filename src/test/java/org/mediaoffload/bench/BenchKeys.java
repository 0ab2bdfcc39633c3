package org.mediaoffload.bench;

/** The benchmark's SSE-C key: a throwaway 32-character string, as Synapse's provider configures it. */
final class BenchKeys {
    /** Not a secret: it encrypts synthetic data in a transient in-memory store on loopback. */
    static final String SSE_C_KEY = "bench-sse-c-key-0123456789abcdef";

    private BenchKeys() {}
}
