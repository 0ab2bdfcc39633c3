package org.mediaoffload.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The prefix a stretch of lost candidates is listed under (the listings themselves: LostRecheckCostTest). */
class LostRecheckRangesTest {
    @Test
    void aStretchStaysInTheMediaTreeOfItsKeys() {
        assertThat(LostRecheck.tree("local_content/ab/cd/efghijklmnopqrstuvwx")).isEqualTo("local_content/");
        assertThat(LostRecheck.tree("remote_content/matrix.org/ab/cd/efgh")).isEqualTo("remote_content/");
        assertThat(LostRecheck.tree("nodirectory")).isEmpty();
    }

    @Test
    void aStretchIsListedUnderTheCommonPrefixOfItsFirstAndLastKey() {
        assertThat(LostRecheck.commonPrefix("media/local_content/ab/cd/ef", "media/local_content/ax/yy/zz"))
                .isEqualTo("media/local_content/a");
        assertThat(LostRecheck.commonPrefix("remote_content/a.org/ab/cd/ef", "remote_content/b.org/ab/cd/ef"))
                .isEqualTo("remote_content/");
        assertThat(LostRecheck.commonPrefix("x/ab", "x/ab")).isEqualTo("x/ab");
        // U+1F600 and U+1F601 share their high surrogate: the prefix must not end inside the pair.
        assertThat(LostRecheck.commonPrefix("x/\uD83D\uDE00", "x/\uD83D\uDE01")).isEqualTo("x/");
    }
}
