package digiads.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class TombstoneLifeTest {

    @Test
    void theLongestRetentionPlusTheMarginWhenThatIsLongerThanConfigured() {
        assertThat(TombstoneLife.derive(Duration.ofDays(7),
                List.of(Duration.ofDays(4), Duration.ofDays(14), Duration.ofDays(4), Duration.ofDays(14)), Duration.ofDays(1)))
                .isEqualTo(Duration.ofDays(15));
    }

    @Test
    void neverLessThanConfigured() {
        assertThat(TombstoneLife.derive(Duration.ofDays(15), List.of(Duration.ofDays(4)), Duration.ofDays(1)))
                .isEqualTo(Duration.ofDays(15));
        assertThat(TombstoneLife.derive(Duration.ofDays(5), List.of(Duration.ofDays(4)), Duration.ofDays(1)))
                .isEqualTo(Duration.ofDays(5));
        assertThat(TombstoneLife.derive(Duration.ofHours(1), List.of(), Duration.ofDays(1))).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aFixedLifeIsWhatItSays() {
        assertThat(TombstoneLife.fixed(Duration.ofHours(3)).life()).isEqualTo(Duration.ofHours(3));
    }
}
