package digiads.deals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import digiads.DigiadsProperties;
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
 */
@Component
public class DigiAdsAssembler {

    private final int topLabels;
    private final int maxDeals;
    private final DealsCache cache;

    @Autowired
    public DigiAdsAssembler(DigiadsProperties properties, DealsCache cache) {
        this(properties.deals().topLabels(), properties.deals().maxResults(), cache);
    }

    DigiAdsAssembler(int topLabels, int maxDeals, DealsCache cache) {
        this.topLabels = topLabels;
        this.maxDeals = maxDeals;
        this.cache = cache;
    }

    /** The names of the labels to look deals up for: the most confident ones; none for a REJECTED image. */
    public List<String> labelsToLookUp(ImageMetadata metadata) {
        if (metadata.status() != MetadataStatus.LABELED) {
            return List.of();
        }
        return metadata.labels().stream().limit(topLabels).map(Label::name).distinct().toList();
    }

    /**
     * The answer from the lookups that finished within the budget: a list of {@link LabelDeals}, or,
     * when none finished, whatever the body was before (then every label takes its fallback).
     */
    public DigiAds assemble(@ExchangeProperty("metadata") ImageMetadata metadata, @Body Object answered) {
        Map<String, LabelDeals> byLabel = new HashMap<>();
        if (answered instanceof List<?> list) {
            list.stream().filter(LabelDeals.class::isInstance).map(LabelDeals.class::cast)
                    .forEach(found -> byLabel.put(found.label(), found));
        }
        List<LabelDeals> results = new ArrayList<>();
        for (String label : labelsToLookUp(metadata)) {
            results.add(byLabel.getOrDefault(label, cache.fallback(label)));
        }
        DigiAds.DealsStatus status = status(results);
        String reason = metadata.status() == MetadataStatus.REJECTED ? "image " + metadata.status() + ": "
                + metadata.reason() : null;
        return new DigiAds(metadata.imageId(), metadata.labels(), rank(metadata, results), status,
                status != DigiAds.DealsStatus.LIVE, reason);
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
