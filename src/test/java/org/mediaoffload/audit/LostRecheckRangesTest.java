package org.mediaoffload.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The directory ranges a batch of lost candidates is listed by (the listing itself: MediaAuditTest). */
class LostRecheckRangesTest {
    @Test
    void aGroupIsTheDirectoryTwoLevelsAboveTheOriginal() {
        assertThat(LostRecheck.group("local_content/ab/cd/efghijklmnopqrstuvwx")).isEqualTo("local_content/ab/");
        assertThat(LostRecheck.group("remote_content/matrix.org/ab/cd/efgh")).isEqualTo("remote_content/matrix.org/ab/");
        assertThat(LostRecheck.group("nodirectory")).isEmpty();
    }

    @Test
    void smallGroupsAreListedTogetherOnlyBelowATopLevelTree() {
        assertThat(LostRecheck.parent("remote_content/matrix.org/ab/")).isEqualTo("remote_content/matrix.org/");
        assertThat(LostRecheck.parent("local_content/ab/")).as("never a whole tree").isEmpty();
        assertThat(LostRecheck.parent("")).isEmpty();
    }
}
