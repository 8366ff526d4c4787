package digiads.deals;

import java.util.List;

/**
 * The deals found for one label, and where they came from.
 *
 * @param source LIVE: the Deals API answered now, or a fresh cache entry; CACHED: the lookup failed
 *               and an older cache entry stood in; FAILED: the lookup failed and nothing was cached
 */
public record LabelDeals(String label, Source source, List<Deal> deals) {

    public enum Source { LIVE, CACHED, FAILED }

    public LabelDeals {
        deals = List.copyOf(deals);
    }

    public static LabelDeals failed(String label) {
        return new LabelDeals(label, Source.FAILED, List.of());
    }
}
