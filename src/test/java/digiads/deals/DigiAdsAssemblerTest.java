package digiads.deals;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

import digiads.DigiadsProperties;
import digiads.brandsafety.BrandSafety;
import digiads.brandsafety.BrandSafetyPolicy;
import digiads.brandsafety.ModerationCategory;
import digiads.metadata.ImageFormat;
import digiads.metadata.ImageMetadata;
import digiads.metadata.Label;
import digiads.metadata.Moderation;
import digiads.metadata.ModerationLabel;
import digiads.metadata.ProbedImage;
import org.junit.jupiter.api.Test;

class DigiAdsAssemblerTest {

    private final DealsCacheTest.MutableClock clock = new DealsCacheTest.MutableClock();
    private final DealsCache cache = new DealsCache(
            new DigiadsProperties.Deals.CacheSettings(Duration.ofSeconds(60), Duration.ofHours(1), 100), clock);
    private final BrandSafetyPolicy policy = new BrandSafetyPolicy(
            EnumSet.of(ModerationCategory.VIOLENCE, ModerationCategory.EXPLICIT), EnumSet.of(ModerationCategory.ALCOHOL), 60);
    private final DigiAdsAssembler assembler = new DigiAdsAssembler(3, 4, cache, policy);

    private static final ProbedImage IMAGE = new ProbedImage("beach.jpg", "b", "images/beach.jpg", false, "e", 10,
            ImageFormat.JPEG, null);
    private static final ImageMetadata LABELED = ImageMetadata.labeled(IMAGE, List.of(
            new Label("Sand", 80f, List.of()), new Label("Beach", 99f, List.of()), new Label("Sea", 90f, List.of()),
            new Label("Person", 75f, List.of())), "3.0", new digiads.metadata.Moderation(List.of(), "7.0"), Instant.now());

    private static Deal deal(String id) {
        return new Deal(id, "title " + id, BigDecimal.TEN, "USD", "m", "https://x/" + id);
    }

    private static LabelDeals live(String label, String... ids) {
        return new LabelDeals(label, LabelDeals.Source.LIVE, java.util.Arrays.stream(ids).map(DigiAdsAssemblerTest::deal).toList());
    }

    @Test
    void looksUpTheMostConfidentLabels() {
        assertThat(assembler.labelsToLookUp(LABELED)).containsExactly("Beach", "Sea", "Sand");
        assertThat(assembler.labelsToLookUp(ImageMetadata.rejected(IMAGE, "empty object", Instant.now()))).isEmpty();
    }

    @Test
    void ranksByLabelConfidenceDeduplicatesByIdAndCaps() {
        DigiAds ads = assembler.assemble(LABELED, List.of(
                live("Sand", "s1", "shared"),
                live("Beach", "b1", "shared", "b2"),
                live("Sea", "c1")));

        assertThat(ads.deals()).extracting(DigiAds.Offer::id).containsExactly("b1", "shared", "b2", "c1");
        assertThat(ads.deals()).extracting(DigiAds.Offer::label).containsExactly("Beach", "Beach", "Beach", "Sea");
        assertThat(ads.dealsStatus()).isEqualTo(DigiAds.DealsStatus.LIVE);
        assertThat(ads.degraded()).isFalse();
        assertThat(ads.labels()).extracting(Label::name).containsExactly("Beach", "Sea", "Sand", "Person");
        assertThat(ads.reason()).isNull();
        assertThat(ads.brandSafety()).isEqualTo(new BrandSafety(BrandSafety.Verdict.SAFE, List.of()));
    }

    private static ImageMetadata moderated(ModerationLabel... found) {
        return ImageMetadata.labeled(IMAGE, LABELED.labels(), "3.0", new Moderation(List.of(found), "7.0"),
                Instant.now());
    }

    @Test
    void anUnsafeImageGetsNoLookupAndNoDealsWhateverTheLookupsBrought() {
        ImageMetadata unsafe = moderated(new ModerationLabel("Violence", "", 1, 97f),
                new ModerationLabel("Graphic Violence", "Violence", 2, 97f), new ModerationLabel("Alcohol", "", 1, 80f));

        assertThat(assembler.labelsToLookUp(unsafe)).isEmpty();
        DigiAds ads = assembler.assemble(unsafe, List.of(live("Beach", "b1"), live("Sea", "c1")));

        assertThat(ads.deals()).isEmpty();
        assertThat(ads.dealsStatus()).isEqualTo(DigiAds.DealsStatus.BLOCKED);
        assertThat(ads.degraded()).as("the policy's answer, not trouble").isFalse();
        assertThat(ads.brandSafety()).isEqualTo(new BrandSafety(BrandSafety.Verdict.UNSAFE, List.of("Violence")));
        assertThat(ads.reason()).isEqualTo("image UNSAFE: Violence");
        assertThat(ads.labels()).extracting(Label::name).containsExactly("Beach", "Sea", "Sand", "Person");
    }

    @Test
    void anImageWithoutAVerdictGetsNoLookupAndNoDeals() {
        ImageMetadata unmoderated = ImageMetadata.labeled(IMAGE, LABELED.labels(), "3.0", null, Instant.now());

        assertThat(assembler.labelsToLookUp(unmoderated)).isEmpty();
        DigiAds ads = assembler.assemble(unmoderated, List.of(live("Beach", "b1")));

        assertThat(ads.deals()).isEmpty();
        assertThat(ads.dealsStatus()).isEqualTo(DigiAds.DealsStatus.UNVERIFIED);
        assertThat(ads.degraded()).isTrue();
        assertThat(ads.brandSafety().verdict()).isEqualTo(BrandSafety.Verdict.UNKNOWN);
        assertThat(ads.reason()).isEqualTo("no brand-safety verdict: the image has not been moderated");
    }

    @Test
    void aRestrictedImageGetsItsDealsWithTheRestrictionNamed() {
        ImageMetadata alcohol = moderated(new ModerationLabel("Alcohol", "", 1, 88f),
                new ModerationLabel("Alcoholic Beverages", "Alcohol", 2, 88f));

        assertThat(assembler.labelsToLookUp(alcohol)).containsExactly("Beach", "Sea", "Sand");
        DigiAds ads = assembler.assemble(alcohol, List.of(live("Beach", "b1"), live("Sea", "c1"), live("Sand")));

        assertThat(ads.deals()).extracting(DigiAds.Offer::id).containsExactly("b1", "c1");
        assertThat(ads.dealsStatus()).isEqualTo(DigiAds.DealsStatus.LIVE);
        assertThat(ads.degraded()).isFalse();
        assertThat(ads.reason()).isNull();
        assertThat(ads.brandSafety()).isEqualTo(new BrandSafety(BrandSafety.Verdict.RESTRICTED, List.of("Alcohol")));
    }

    @Test
    void statusSaysHowCompleteAndFreshTheDealsAre() {
        LabelDeals cached = new LabelDeals("Sea", LabelDeals.Source.CACHED, List.of(deal("c1")));

        assertThat(assembler.assemble(LABELED, List.of(live("Beach", "b1"), LabelDeals.failed("Sea"), live("Sand")))
                .dealsStatus()).isEqualTo(DigiAds.DealsStatus.PARTIAL);
        assertThat(assembler.assemble(LABELED, List.of(live("Beach", "b1"), cached, live("Sand")))
                .dealsStatus()).isEqualTo(DigiAds.DealsStatus.CACHED);
        DigiAds none = assembler.assemble(LABELED,
                List.of(LabelDeals.failed("Beach"), LabelDeals.failed("Sea"), LabelDeals.failed("Sand")));
        assertThat(none.dealsStatus()).isEqualTo(DigiAds.DealsStatus.UNAVAILABLE);
        assertThat(none.degraded()).isTrue();
        assertThat(none.deals()).isEmpty();
    }

    @Test
    void labelsWithFreshDealsNeedNoLookupAndAnswerFromTheCache() {
        cache.put("Sea", List.of(deal("fresh-sea")));

        assertThat(assembler.labelsWithoutFreshDeals(LABELED)).containsExactly("Beach", "Sand");
        DigiAds ads = assembler.assemble(LABELED, List.of(live("Beach", "b1"), live("Sand", "s1")));
        assertThat(ads.deals()).extracting(DigiAds.Offer::id).containsExactly("b1", "fresh-sea", "s1");
        assertThat(ads.dealsStatus()).isEqualTo(DigiAds.DealsStatus.LIVE);

        cache.put("Beach", List.of(deal("fresh-beach")));
        cache.put("Sand", List.of(deal("fresh-sand")));
        assertThat(assembler.labelsWithoutFreshDeals(LABELED)).as("every label fresh: no lookup").isEmpty();
        DigiAds fromCache = assembler.assemble(LABELED, LABELED);
        assertThat(fromCache.deals()).extracting(DigiAds.Offer::id).containsExactly("fresh-beach", "fresh-sea", "fresh-sand");
        assertThat(fromCache.dealsStatus()).isEqualTo(DigiAds.DealsStatus.LIVE);

        clock.now = clock.now.plusSeconds(61);
        assertThat(assembler.labelsWithoutFreshDeals(LABELED)).as("no longer fresh: looked up again")
                .containsExactly("Beach", "Sea", "Sand");
        assertThat(assembler.assemble(LABELED, LABELED).dealsStatus()).as("none answered: the stale deals are the fallback")
                .isEqualTo(DigiAds.DealsStatus.CACHED);
        assertThat(assembler.labelsWithoutFreshDeals(ImageMetadata.rejected(IMAGE, "empty object", Instant.now()))).isEmpty();
    }

    @Test
    void labelsThatDidNotAnswerInTimeFallBackToTheCache() {
        cache.put("Sea", List.of(deal("old-sea")));
        clock.now = clock.now.plusSeconds(61);

        DigiAds ads = assembler.assemble(LABELED, List.of(live("Beach", "b1")));

        assertThat(ads.deals()).extracting(DigiAds.Offer::id).containsExactly("b1", "old-sea");
        assertThat(ads.dealsStatus()).as("Sand had no answer and no cache").isEqualTo(DigiAds.DealsStatus.PARTIAL);
        assertThat(assembler.assemble(LABELED, LABELED).dealsStatus()).as("nothing answered in time")
                .isEqualTo(DigiAds.DealsStatus.PARTIAL);
        assertThat(assembler.assemble(LABELED, List.of(live("Beach", "b1"))).deals()).extracting(DigiAds.Offer::id)
                .as("stale deals are the fallback, not fresh").containsExactly("b1", "old-sea");
    }

    @Test
    void aRejectedImageHasNoDealsAndSaysWhy() {
        DigiAds ads = assembler.assemble(ImageMetadata.rejected(IMAGE, "empty object", Instant.now()), List.of());

        assertThat(ads.deals()).isEmpty();
        assertThat(ads.dealsStatus()).isEqualTo(DigiAds.DealsStatus.LIVE);
        assertThat(ads.degraded()).isFalse();
        assertThat(ads.reason()).isEqualTo("image REJECTED: empty object");
        assertThat(ads.brandSafety()).as("nothing to judge").isNull();
    }
}
