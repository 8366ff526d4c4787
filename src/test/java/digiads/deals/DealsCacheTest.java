package digiads.deals;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import digiads.DigiadsProperties;
import org.junit.jupiter.api.Test;

class DealsCacheTest {

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MutableClock clock = new MutableClock();
    private final DealsCache cache = new DealsCache(
            new DigiadsProperties.Deals.CacheSettings(Duration.ofSeconds(60), Duration.ofHours(24), 100), clock);
    private final List<Deal> deals = List.of(new Deal("d1", "t", BigDecimal.ONE, "USD", "m", "u"));

    @Test
    void freshDealsAreServedLiveUntilTheyAgeOut() {
        assertThat(cache.fresh("Dog")).isNull();

        assertThat(cache.put("Dog", deals)).isEqualTo(new LabelDeals("Dog", LabelDeals.Source.LIVE, deals));
        assertThat(cache.fresh("Dog")).isEqualTo(new LabelDeals("Dog", LabelDeals.Source.LIVE, deals));

        clock.now = clock.now.plusSeconds(61);
        assertThat(cache.fresh("Dog")).as("stale: ask the Deals API again").isNull();
    }

    @Test
    void theFallbackIsCachedDealsOfAnyAgeElseNothing() {
        assertThat(cache.fallback("Dog")).isEqualTo(LabelDeals.failed("Dog"));

        cache.put("Dog", deals);
        clock.now = clock.now.plus(Duration.ofHours(2));

        assertThat(cache.fallback("Dog")).isEqualTo(new LabelDeals("Dog", LabelDeals.Source.CACHED, deals));
        assertThat(cache.fallback("Cat")).isEqualTo(LabelDeals.failed("Cat"));
        cache.clear();
        assertThat(cache.fallback("Dog").source()).isEqualTo(LabelDeals.Source.FAILED);
    }
}
