package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** When the verifier lists: once a listing's worth of keys waits, and on time only when uploads pause or lag. */
class ListingFlushTest {
    @Test
    void keysArrivingFastWaitUntilTheyFillWhatOneListingAnswers() {
        // A fast run submits a key every few ms: 250 ms of them is far from a page, so the verifier keeps waiting.
        assertThat(ListingFlush.waitMillis(300, 900, 1_000, 5, false)).isPositive();
        assertThat(ListingFlush.waitMillis(899, 900, 4_000, 0, false)).isPositive();
        // A slow run on a busy machine (53 files/s): 6 s of keys, with a gap of 600 ms, still waits for a page.
        assertThat(ListingFlush.waitMillis(320, 900, 6_000, 600, false)).isPositive();
        assertThat(ListingFlush.waitMillis(900, 900, 10, 0, false)).isZero();
        // A bucket where other objects sit between ours: a listing answers fewer of them, so fewer are enough.
        assertThat(ListingFlush.waitMillis(450, 450, 10, 0, false)).isZero();
        // Never more than one page's worth is waited for.
        assertThat(ListingFlush.waitMillis(ListingFlush.MAX_KEYS, 50_000, 10, 0, false)).isZero();
    }

    @Test
    void theWaitEndsWhenUploadsPauseOrTheOldestKeyWaitedLongEnough() {
        assertThat(ListingFlush.waitMillis(12, 900, 300, ListingFlush.QUIET_MS, false)).as("quiet").isZero();
        assertThat(ListingFlush.waitMillis(12, 900, ListingFlush.MAX_WAIT_MS, 3, false)).as("oldest").isZero();
        assertThat(ListingFlush.waitMillis(12, 900, 300, 3, true)).as("closing").isZero();
    }

    @Test
    void theWaitIsUntilTheNearestTimeRuleCouldEndIt() {
        assertThat(ListingFlush.waitMillis(12, 900, 300, 50, false)).isEqualTo(ListingFlush.QUIET_MS - 50);
        assertThat(ListingFlush.waitMillis(12, 900, ListingFlush.MAX_WAIT_MS - 20, 50, false)).isEqualTo(20);
        assertThat(ListingFlush.waitMillis(12, 900, 300, ListingFlush.QUIET_MS - 1, false)).isEqualTo(1);
    }

    @Test
    void whereEveryKeyCostsItsOwnRequestNothingWaits() {
        // keysPerListing 1: per-media listings or HEAD without s3:ListBucket; batching would only delay deletions.
        assertThat(ListingFlush.waitMillis(1, 1, 0, 0, false)).isZero();
        assertThat(ListingFlush.waitMillis(1, 0, 0, 0, false)).isZero();
        assertThat(ListingFlush.batchKeys(1)).isEqualTo(ListingFlush.MAX_KEYS);
    }

    @Test
    void aBatchTakesWhatOneListingAnswersAndNeverMoreThanAPage() {
        assertThat(ListingFlush.batchKeys(450)).isEqualTo(450);
        assertThat(ListingFlush.batchKeys(50_000)).isEqualTo(ListingFlush.MAX_KEYS);
    }

    @Test
    void nothingWaitingIsTheCallersBug() {
        assertThatThrownBy(() -> ListingFlush.waitMillis(0, 900, 0, 0, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
