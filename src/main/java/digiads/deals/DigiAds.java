package digiads.deals;

import java.math.BigDecimal;
import java.util.List;

import digiads.metadata.Label;

/**
 * The answer of getDigiAds: the image's labels and the deals for its top labels, best first.
 *
 * @param dealsStatus LIVE: every lookup answered fresh; CACHED: some stood in from the cache;
 *                    PARTIAL: some lookups gave nothing; UNAVAILABLE: none gave anything
 * @param degraded    whether the deals are anything less than LIVE
 * @param reason      why there are no deals to look up (a REJECTED image), else absent
 */
public record DigiAds(String imageId, List<Label> labels, List<Offer> deals, DealsStatus dealsStatus, boolean degraded,
                      String reason) {

    public enum DealsStatus { LIVE, CACHED, PARTIAL, UNAVAILABLE }

    /** A deal and the label it was found for. */
    public record Offer(String id, String title, BigDecimal price, String currency, String merchant, String url,
                        String label) {

        static Offer of(Deal deal, String label) {
            return new Offer(deal.id(), deal.title(), deal.price(), deal.currency(), deal.merchant(), deal.url(), label);
        }
    }
}
