package digiads.deals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import digiads.DigiadsProperties;
import digiads.brandsafety.BrandSafety;
import digiads.brandsafety.BrandSafetyPolicy;
import digiads.metadata.ImageMetadata;
import digiads.metadata.Label;
import digiads.metadata.MetadataStatus;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Chooses which labels to look deals up for, and merges what the lookups found into the answer:
 * ranked by label confidence, de-duplicated by deal id (a deal stays with its best label), capped.
 * A label whose lookup did not answer within the budget gets its fallback from the cache.
 *
 * <p>Brand safety comes first: an image the policy finds UNSAFE, or one without a verdict (not
 * moderated), gets no lookup and no deal (BLOCKED, UNVERIFIED); a RESTRICTED one gets its deals and the
 * answer names the restrictions.
 */
@Component
public class DigiAdsAssembler {

    private final int topLabels;
    private final int maxDeals;
    private final DealsCache cache;
    private final BrandSafetyPolicy policy;

    @Autowired
    public DigiAdsAssembler(DigiadsProperties properties, DealsCache cache, BrandSafetyPolicy policy) {
        this(properties.deals().topLabels(), properties.deals().maxResults(), cache, policy);
    }

    DigiAdsAssembler(int topLabels, int maxDeals, DealsCache cache, BrandSafetyPolicy policy) {
        this.topLabels = topLabels;
        this.maxDeals = maxDeals;
        this.cache = cache;
        this.policy = policy;
    }

    /**
     * The names of the labels to look deals up for: the most confident ones; none for a REJECTED image,
     * nor for one whose verdict serves no deals (UNSAFE, UNKNOWN).
     */
    public List<String> labelsToLookUp(ImageMetadata metadata) {
        if (metadata.status() != MetadataStatus.LABELED || !policy.verdict(metadata).servesDeals()) {
            return List.of();
        }
        return metadata.labels().stream().limit(topLabels).map(Label::name).distinct().toList();
    }

    /**
     * The labels whose deals must be asked of the Deals API: those of {@link #labelsToLookUp} without
     * fresh deals in the cache. A request whose labels all have fresh deals needs no lookup at all.
     */
    public List<String> labelsWithoutFreshDeals(ImageMetadata metadata) {
        return labelsToLookUp(metadata).stream().filter(label -> cache.fresh(label) == null).toList();
    }

    /**
     * The answer from the lookups that finished within the budget: a list of {@link LabelDeals}, or,
     * when none finished or none was needed, whatever the body was before. A label without an answer
     * takes its fresh deals from the cache, or else its fallback. An image
     * whose verdict serves no deals gets none, whatever the body holds.
     */
    public DigiAds assemble(@ExchangeProperty("metadata") ImageMetadata metadata, @Body Object answered) {
        BrandSafety safety = policy.verdict(metadata);
        if (safety != null && !safety.servesDeals()) {
            boolean unsafe = safety.verdict() == BrandSafety.Verdict.UNSAFE;
            return new DigiAds(metadata.imageId(), metadata.labels(), List.of(),
                    unsafe ? DigiAds.DealsStatus.BLOCKED : DigiAds.DealsStatus.UNVERIFIED, !unsafe,
                    unsafe ? "image UNSAFE: " + String.join(", ", safety.categories())
                            : "no brand-safety verdict: the image has not been moderated", safety);
        }
        Map<String, LabelDeals> byLabel = new HashMap<>();
        if (answered instanceof List<?> list) {
            list.stream().filter(LabelDeals.class::isInstance).map(LabelDeals.class::cast)
                    .forEach(found -> byLabel.put(found.label(), found));
        }
        List<LabelDeals> results = new ArrayList<>();
        for (String label : labelsToLookUp(metadata)) {
            LabelDeals found = byLabel.get(label);
            if (found == null) {
                found = cache.fresh(label);
            }
            results.add(found != null ? found : cache.fallback(label));
        }
        DigiAds.DealsStatus status = status(results);
        String reason = metadata.status() == MetadataStatus.REJECTED ? "image " + metadata.status() + ": "
                + metadata.reason() : null;
        return new DigiAds(metadata.imageId(), metadata.labels(), rank(metadata, results), status,
                status != DigiAds.DealsStatus.LIVE, reason, safety);
    }

    private List<DigiAds.Offer> rank(ImageMetadata metadata, List<LabelDeals> results) {
        Map<String, Float> confidence = new HashMap<>();
        metadata.labels().forEach(l -> confidence.merge(l.name(), l.confidence(), Math::max));
        Map<String, DigiAds.Offer> byId = new LinkedHashMap<>();
        results.stream()
                .sorted(Comparator.comparing((LabelDeals r) -> confidence.getOrDefault(r.label(), 0f)).reversed())
                .forEach(r -> r.deals().forEach(deal -> byId.putIfAbsent(deal.id(), DigiAds.Offer.of(deal, r.label()))));
        return byId.values().stream().limit(maxDeals).toList();
    }

    static DigiAds.DealsStatus status(List<LabelDeals> results) {
        long failed = results.stream().filter(r -> r.source() == LabelDeals.Source.FAILED).count();
        long cached = results.stream().filter(r -> r.source() == LabelDeals.Source.CACHED).count();
        if (results.isEmpty() || failed == 0 && cached == 0) {
            return DigiAds.DealsStatus.LIVE;
        }
        if (failed == results.size()) {
            return DigiAds.DealsStatus.UNAVAILABLE;
        }
        return failed > 0 ? DigiAds.DealsStatus.PARTIAL : DigiAds.DealsStatus.CACHED;
    }
}
