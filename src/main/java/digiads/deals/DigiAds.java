package digiads.deals;

import java.math.BigDecimal;
import java.util.List;

import digiads.brandsafety.BrandSafety;
import digiads.metadata.Label;

/**
 * The answer of getDigiAds: the image's labels and the deals for its top labels, best first.
 *
 * @param dealsStatus LIVE: every lookup answered fresh; CACHED: some stood in from the cache;
 *                    PARTIAL: some lookups gave nothing; UNAVAILABLE: none gave anything; BLOCKED: the
 *                    image is UNSAFE, no deals were looked up; UNVERIFIED: the image has no brand-safety
 *                    verdict (it was not moderated), no deals were looked up
 * @param degraded    whether the deals are less than they should be: CACHED, PARTIAL, UNAVAILABLE,
 *                    UNVERIFIED (not LIVE, nor BLOCKED, which is the answer the policy wants)
 * @param reason      why there are no deals to look up (a REJECTED, UNSAFE or unmoderated image), else absent
 * @param brandSafety the verdict on the image (absent for a REJECTED image); RESTRICTED names the
 *                    restrictions that apply to the deals served
 */
public record DigiAds(String imageId, List<Label> labels, List<Offer> deals, DealsStatus dealsStatus, boolean degraded,
                      String reason, BrandSafety brandSafety) {

    public enum DealsStatus { LIVE, CACHED, PARTIAL, UNAVAILABLE, BLOCKED, UNVERIFIED }

    /** A deal and the label it was found for. */
    public record Offer(String id, String title, BigDecimal price, String currency, String merchant, String url,
                        String label) {

        static Offer of(Deal deal, String label) {
            return new Offer(deal.id(), deal.title(), deal.price(), deal.currency(), deal.merchant(), deal.url(), label);
        }
    }
}
