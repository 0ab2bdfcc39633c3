package org.mediaoffload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloseableStackTest {
    private final List<String> closed = new ArrayList<>();

    @Test
    void closesInReverseOrder() {
        CloseableStack stack = new CloseableStack("the test");
        stack.push(() -> closed.add("first"));
        stack.push(() -> closed.add("second"));

        stack.close();

        assertThat(closed).containsExactly("second", "first");
    }

    @Test
    void aFailingPartDoesNotKeepTheOthersOpenAndEveryFailureIsReported() {
        CloseableStack stack = new CloseableStack("the test");
        stack.push(() -> closed.add("first"));
        stack.push(() -> {
            throw new IOException("disk gone");
        });
        stack.push(() -> {
            throw new IllegalStateException("socket stuck");
        });

        assertThatThrownBy(stack::close)
                .hasMessage("closing the test failed")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("socket stuck", "disk gone"));
        assertThat(closed).containsExactly("first");
    }

    @Test
    void afterAFailedStartTheFailureCarriesWhatCouldNotBeClosed() {
        CloseableStack stack = new CloseableStack("the test");
        stack.push(() -> closed.add("opened"));
        stack.push(() -> {
            throw new IOException("half-open");
        });
        RuntimeException startFailure = new IllegalStateException("bucket unreachable");

        stack.closeAfter(startFailure);

        assertThat(closed).containsExactly("opened");
        assertThat(startFailure.getSuppressed()).extracting(Throwable::getMessage).containsExactly("half-open");
    }
}
