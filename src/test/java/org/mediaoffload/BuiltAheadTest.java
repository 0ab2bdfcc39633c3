package org.mediaoffload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BuiltAheadTest {
    /** A part that counts its closes. */
    private static final class Part implements AutoCloseable {
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void takeHandsOverThePartBuiltOnAnotherThread() {
        Part built = new Part();
        String[] thread = new String[1];
        BuiltAhead<Part> ahead = BuiltAhead.start("test-ahead", () -> {
            thread[0] = Thread.currentThread().getName();
            return built;
        });
        assertThat(ahead.take()).isSameAs(built);
        assertThat(thread[0]).isEqualTo("test-ahead");
        ahead.close(); // taken: the caller owns it now
        assertThat(built.closed).hasValue(0);
    }

    @Test
    void whatTheBuildThrewIsThrownByTake() {
        BuiltAhead<Part> ahead = BuiltAhead.start("test-ahead", () -> {
            throw new IllegalArgumentException("offload.s3.ca-bundle: not a PEM file");
        });
        assertThatThrownBy(ahead::take).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("offload.s3.ca-bundle: not a PEM file");
        ahead.close(); // nothing was built: nothing to close, no second failure
    }

    @Test
    void closedBeforeBeingTakenClosesThePartOnceBuilt() {
        Part built = new Part();
        BuiltAhead<Part> ahead = BuiltAhead.start("test-ahead", () -> built);
        ahead.close(); // a failed start: the part built ahead must not be left open
        ahead.close();
        assertThat(built.closed).hasValue(1);
    }

    @Test
    void takeKeepsTheCallersInterrupt() {
        Part built = new Part();
        BuiltAhead<Part> ahead = BuiltAhead.start("test-ahead", () -> built);
        Thread.currentThread().interrupt();
        try {
            assertThat(ahead.take()).isSameAs(built);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
