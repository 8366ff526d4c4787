package digiads.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    private final RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(10));
    private final Duration visibility = Duration.ofSeconds(90);

    @Test
    void theFirstFailureWaitsTheFirstDelayAndEachFurtherOneTwiceAsLong() {
        assertThat(backoff.after(1, visibility)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.after(2, visibility)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.after(3, visibility)).isEqualTo(Duration.ofSeconds(40));
        assertThat(backoff.after(4, visibility)).isEqualTo(Duration.ofSeconds(80));
    }

    @Test
    void neverLaterThanTheVisibilityTimeout() {
        assertThat(backoff.after(5, visibility)).isEqualTo(visibility);
        assertThat(backoff.after(Integer.MAX_VALUE, visibility)).isEqualTo(visibility);
        assertThat(new RetryBackoff(Duration.ofMinutes(5)).after(1, visibility)).isEqualTo(visibility);
    }

    @Test
    void anUnknownReceiveCountCountsAsTheFirst() {
        assertThat(backoff.after(0, visibility)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.after(-3, visibility)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aNegativeDelayIsRefused() {
        assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RetryBackoff(Duration.ZERO).after(3, visibility)).isZero();
    }
}
