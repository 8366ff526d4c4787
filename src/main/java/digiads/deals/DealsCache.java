package digiads.deals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import digiads.DigiadsProperties;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Deals per label, kept for two purposes: while fresh ({@code fresh-for}) they are served as LIVE
 * without calling the Deals API; afterwards, up to {@code keep-for}, they stand in as CACHED when a
 * lookup fails. Bounded in size.
 */
@Component
public class DealsCache {

    private record Entry(List<Deal> deals, Instant fetchedAt) {
    }

    private final Cache<String, Entry> entries;
    private final Duration freshFor;
    private final Clock clock;

    @Autowired
    public DealsCache(DigiadsProperties properties) {
        this(properties.deals().cache(), Clock.systemUTC());
    }

    DealsCache(DigiadsProperties.Deals.CacheSettings settings, Clock clock) {
        this.freshFor = settings.freshFor();
        this.clock = clock;
        this.entries = Caffeine.newBuilder()
                .maximumSize(settings.maxLabels())
                .expireAfterWrite(settings.keepFor())
                .build();
    }

    /** Fresh deals for the label, served as LIVE, or null when the Deals API must be asked. */
    public LabelDeals fresh(@Body String label) {
        Entry entry = entries.getIfPresent(label);
        if (entry == null || entry.fetchedAt().plus(freshFor).isBefore(clock.instant())) {
            return null;
        }
        return new LabelDeals(label, LabelDeals.Source.LIVE, entry.deals());
    }

    /** Remembers what the Deals API just answered; returns it as LIVE. */
    public LabelDeals put(@ExchangeProperty("label") String label, @Body List<Deal> deals) {
        entries.put(label, new Entry(List.copyOf(deals), clock.instant()));
        return new LabelDeals(label, LabelDeals.Source.LIVE, deals);
    }

    /** What stands in when a lookup failed or ran out of time: cached deals of any age, else nothing. */
    public LabelDeals fallback(@ExchangeProperty("label") String label) {
        Entry entry = entries.getIfPresent(label);
        return entry == null ? LabelDeals.failed(label) : new LabelDeals(label, LabelDeals.Source.CACHED, entry.deals());
    }

    public void clear() {
        entries.invalidateAll();
    }
}
