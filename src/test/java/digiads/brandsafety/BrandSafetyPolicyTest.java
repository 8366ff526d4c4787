package digiads.brandsafety;

import static digiads.brandsafety.BrandSafety.Verdict.RESTRICTED;
import static digiads.brandsafety.BrandSafety.Verdict.SAFE;
import static digiads.brandsafety.BrandSafety.Verdict.UNKNOWN;
import static digiads.brandsafety.BrandSafety.Verdict.UNSAFE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import digiads.metadata.ImageFormat;
import digiads.metadata.ImageMetadata;
import digiads.metadata.Label;
import digiads.metadata.Moderation;
import digiads.metadata.ModerationLabel;
import digiads.metadata.ProbedImage;
import org.junit.jupiter.api.Test;

/** The brand-safety policy on moderation labels shaped as DetectModerationLabels returns them (taxonomy v7). */
class BrandSafetyPolicyTest {

    /** The default policy of application.properties. */
    private final BrandSafetyPolicy policy = new BrandSafetyPolicy(
            EnumSet.of(ModerationCategory.EXPLICIT, ModerationCategory.NON_EXPLICIT_NUDITY, ModerationCategory.VIOLENCE,
                    ModerationCategory.VISUALLY_DISTURBING, ModerationCategory.HATE_SYMBOLS, ModerationCategory.RUDE_GESTURES),
            EnumSet.of(ModerationCategory.ALCOHOL, ModerationCategory.GAMBLING, ModerationCategory.DRUGS_AND_TOBACCO), 60);

    private static final ProbedImage IMAGE = new ProbedImage("a.jpg", "b", "images/a.jpg", false, "e", 10,
            ImageFormat.JPEG, null);

    private static ModerationLabel top(String name, float confidence) {
        return new ModerationLabel(name, "", 1, confidence);
    }

    private static ModerationLabel label(String name, String parent, int level, float confidence) {
        return new ModerationLabel(name, parent, level, confidence);
    }

    private BrandSafety verdict(ModerationLabel... labels) {
        return policy.verdict(List.of(labels));
    }

    @Test
    void nothingFoundIsSafe() {
        assertThat(verdict()).isEqualTo(new BrandSafety(SAFE, List.of()));
        assertThat(verdict().servesDeals()).isTrue();
    }

    @Test
    void aBlockingCategoryMakesTheImageUnsafe() {
        BrandSafety violence = verdict(top("Violence", 97.8f), label("Graphic Violence", "Violence", 2, 97.8f),
                label("Weapon Violence", "Graphic Violence", 3, 91.3f));

        assertThat(violence).isEqualTo(new BrandSafety(UNSAFE, List.of("Violence")));
        assertThat(violence.servesDeals()).isFalse();
    }

    @Test
    void aLevelOneLabelIsItsOwnCategoryALevelTwoLabelNamesItsParent() {
        assertThat(verdict(top("Explicit", 99f)).categories()).containsExactly("Explicit");
        assertThat(verdict(label("Explicit Nudity", "Explicit", 2, 99f)).categories()).containsExactly("Explicit");
        assertThat(verdict(label("Middle Finger", "Rude Gestures", 2, 70f)).categories()).containsExactly("Rude Gestures");
    }

    @Test
    void aLevelThreeLabelFindsItsCategoryThroughItsParentInTheAnswer() {
        assertThat(verdict(label("Weapon Violence", "Graphic Violence", 3, 91f),
                label("Graphic Violence", "Violence", 2, 40f)))
                .as("the level-2 parent is below the threshold but still names the category")
                .isEqualTo(new BrandSafety(UNSAFE, List.of("Violence")));
        assertThat(verdict(label("New Concept", "New Level Two", 3, 91f), label("New Level Two", "Alcohol", 2, 91f)))
                .as("a level-2 label the taxonomy does not know yet, with its known category")
                .isEqualTo(new BrandSafety(RESTRICTED, List.of("Alcohol")));
    }

    @Test
    void aLevelThreeLabelWithoutItsParentInTheAnswerFindsItsCategoryInTheTaxonomy() {
        assertThat(verdict(label("Smoking", "Drugs & Tobacco Paraphernalia & Use", 3, 92f)))
                .isEqualTo(new BrandSafety(RESTRICTED, List.of("Drugs & Tobacco")));
        assertThat(verdict(label("Corpses", "Death and Emaciation", 3, 92f)))
                .isEqualTo(new BrandSafety(UNSAFE, List.of("Visually Disturbing")));
    }

    @Test
    void withoutATaxonomyLevelTheParentChainDecides() {
        assertThat(verdict(new ModerationLabel("Alcohol", "", 0, 90f))).isEqualTo(new BrandSafety(RESTRICTED, List.of("Alcohol")));
        assertThat(verdict(new ModerationLabel("Drinking", "Alcohol Use", 0, 90f), new ModerationLabel("Alcohol Use", "Alcohol", 0, 90f),
                new ModerationLabel("Alcohol", "", 0, 90f))).isEqualTo(new BrandSafety(RESTRICTED, List.of("Alcohol")));
        assertThat(verdict(new ModerationLabel("Drinking", "Alcohol Use", 0, 90f), new ModerationLabel("Alcohol Use", "Alcohol", 0, 30f)))
                .isEqualTo(new BrandSafety(RESTRICTED, List.of("Alcohol")));
        assertThat(verdict(new ModerationLabel("Drinking", "Alcohol Use", 0, 90f)))
                .as("parent missing: the taxonomy names its category").isEqualTo(new BrandSafety(RESTRICTED, List.of("Alcohol")));
    }

    @Test
    void labelsBelowTheMinimumConfidenceDoNotCountAndOnesAtItDo() {
        assertThat(verdict(top("Violence", 59.9f), label("Weapons", "Violence", 2, 59.9f)).verdict()).isEqualTo(SAFE);
        assertThat(verdict(top("Violence", 60f)).verdict()).isEqualTo(UNSAFE);
        assertThat(verdict(top("Alcohol", 59.9f)).verdict()).isEqualTo(SAFE);
        assertThat(verdict(top("Alcohol", 60f)).verdict()).isEqualTo(RESTRICTED);
    }

    @Test
    void restrictingCategoriesLetDealsBeServedAndAreNamedMostConfidentFirst() {
        BrandSafety restricted = verdict(top("Alcohol", 70f), label("Alcoholic Beverages", "Alcohol", 2, 70f),
                top("Gambling", 84f), label("Gambling", "Gambling", 2, 84f));

        assertThat(restricted).isEqualTo(new BrandSafety(RESTRICTED, List.of("Gambling", "Alcohol")));
        assertThat(restricted.servesDeals()).isTrue();
    }

    @Test
    void aBlockingCategoryOutweighsARestrictingOneAndOnlyTheBlockingOnesAreNamed() {
        assertThat(verdict(top("Alcohol", 99f), top("Explicit", 80f), top("Violence", 90f)))
                .isEqualTo(new BrandSafety(UNSAFE, List.of("Violence", "Explicit")));
    }

    @Test
    void aKnownCategoryInNeitherListDoesNotCount() {
        assertThat(verdict(top("Swimwear or Underwear", 95f), label("Female Swimwear or Underwear", "Swimwear or Underwear", 2, 95f)))
                .isEqualTo(new BrandSafety(SAFE, List.of()));
    }

    @Test
    void aCategoryThisReleaseDoesNotKnowBlocks() {
        assertThat(verdict(top("Suggestive", 80f))).isEqualTo(new BrandSafety(UNSAFE, List.of("Suggestive")));
        assertThat(verdict(label("Something New", "Unknown Level Two", 3, 80f)))
                .isEqualTo(new BrandSafety(UNSAFE, List.of("Unknown Level Two")));
        assertThat(verdict(top("Suggestive", 50f)).verdict()).as("below the threshold like any other").isEqualTo(SAFE);
    }

    @Test
    void aParentChainThatLoopsEndsAndBlocks() {
        assertThat(verdict(new ModerationLabel("A", "B", 0, 90f), new ModerationLabel("B", "A", 0, 90f)).verdict())
                .isEqualTo(UNSAFE);
    }

    @Test
    void theVerdictOnMetadataIsDecidedForLabeledImagesOnlyAndNeverSafeWithoutModeration() {
        List<Label> labels = List.of(new Label("Beach", 99f, List.of()));
        ImageMetadata unmoderated = ImageMetadata.labeled(IMAGE, labels, "3.0", null, Instant.now());
        ImageMetadata alcohol = ImageMetadata.labeled(IMAGE, labels, "3.0",
                new Moderation(List.of(top("Alcohol", 88f)), "7.0"), Instant.now());

        assertThat(policy.verdict(unmoderated)).isEqualTo(new BrandSafety(UNKNOWN, List.of()));
        assertThat(policy.verdict(unmoderated).servesDeals()).isFalse();
        assertThat(policy.verdict(alcohol)).isEqualTo(new BrandSafety(RESTRICTED, List.of("Alcohol")));
        assertThat(policy.verdict(ImageMetadata.rejected(IMAGE, "empty object", Instant.now()))).isNull();
        assertThat(policy.verdict(ImageMetadata.deleted("a.jpg", "b", "images/a.jpg", null))).isNull();
        assertThat(policy.withVerdict(alcohol)).isEqualTo(new MetadataWithBrandSafety(alcohol,
                new BrandSafety(RESTRICTED, List.of("Alcohol"))));
    }

    @Test
    void aChangedPolicyAppliesToLabelsStoredBefore() {
        ImageMetadata stored = ImageMetadata.labeled(IMAGE, List.of(), "3.0",
                new Moderation(List.of(top("Alcohol", 88f), top("Gambling", 65f)), "7.0"), Instant.now());
        BrandSafetyPolicy stricter = new BrandSafetyPolicy(EnumSet.of(ModerationCategory.ALCOHOL),
                EnumSet.noneOf(ModerationCategory.class), 60);
        BrandSafetyPolicy laxer = new BrandSafetyPolicy(EnumSet.noneOf(ModerationCategory.class),
                EnumSet.of(ModerationCategory.GAMBLING), 70);

        assertThat(policy.verdict(stored)).isEqualTo(new BrandSafety(RESTRICTED, List.of("Alcohol", "Gambling")));
        assertThat(stricter.verdict(stored)).isEqualTo(new BrandSafety(UNSAFE, List.of("Alcohol")));
        assertThat(laxer.verdict(stored)).as("Gambling below 70 %, Alcohol in neither list").isEqualTo(new BrandSafety(SAFE, List.of()));
    }

    @Test
    void aCategoryMayNotBothBlockAndRestrict() {
        assertThatThrownBy(() -> new BrandSafetyPolicy(EnumSet.of(ModerationCategory.ALCOHOL),
                EnumSet.of(ModerationCategory.ALCOHOL, ModerationCategory.GAMBLING), 60))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    }

    @Test
    void categoriesAreNamedAsRekognitionNamesThem() {
        assertThat(ModerationCategory.named("Drugs & Tobacco")).contains(ModerationCategory.DRUGS_AND_TOBACCO);
        assertThat(ModerationCategory.named("Non-Explicit Nudity of Intimate parts and Kissing"))
                .contains(ModerationCategory.NON_EXPLICIT_NUDITY);
        assertThat(ModerationCategory.named("drugs & tobacco")).isEmpty();
        assertThat(ModerationCategory.ofLevelTwo("Kissing on the Lips")).contains(ModerationCategory.NON_EXPLICIT_NUDITY);
        assertThat(ModerationCategory.ofLevelTwo("Violence")).isEmpty();
        assertThat(ModerationCategory.HATE_SYMBOLS.rekognitionName()).isEqualTo("Hate Symbols");
        assertThat(BrandSafetyPolicy.categoryOf(label("Nazi Party", "Hate Symbols", 2, 90f), Map.of())).isEqualTo("Hate Symbols");
    }
}
