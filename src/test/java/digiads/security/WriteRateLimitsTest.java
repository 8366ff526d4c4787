package digiads.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;

import digiads.DigiadsProperties;
import org.junit.jupiter.api.Test;

class WriteRateLimitsTest {

    private final WriteRateLimits limits = new WriteRateLimits(new DigiadsProperties.Security.WriteRate(2, 5));

    @Test
    void aClientMayWriteItsBurstThenWaits() {
        assertThat(IntStream.range(0, 5).mapToObj(i -> limits.tryWrite("a"))).allMatch(java.util.Optional::isEmpty);

        var refused = limits.tryWrite("a");

        assertThat(refused).hasValueSatisfying(wait ->
                assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMillis(500)));
    }

    @Test
    void eachClientHasItsOwnBucket() {
        IntStream.range(0, 5).forEach(i -> limits.tryWrite("a"));

        assertThat(limits.tryWrite("a")).isPresent();
        assertThat(limits.tryWrite("b")).isEmpty();
    }
}
