package digiads.brandsafety;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import digiads.DigiadsProperties;
import digiads.metadata.ImageMetadata;
import digiads.metadata.MetadataStatus;
import digiads.metadata.Moderation;
import digiads.metadata.ModerationLabel;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Which ads an image may carry, from what DetectModerationLabels found in it: a label of a blocking
 * category with at least the minimum confidence makes it UNSAFE (no deals), one of a restricting
 * category RESTRICTED (deals, with the restriction named); otherwise it is SAFE. An image that was not
 * moderated is UNKNOWN, never SAFE.
 *
 * <p>The verdict is decided when the metadata is read, not stored: a change of the policy applies at
 * once to every image already labeled, including those labeled before it.
 *
 * <p>A label's category is the top-level (level 1) label of Rekognition's taxonomy above it: a level-1
 * label is its own category (its {@code ParentName} is {@code ""}); a level-2 label names it as its
 * parent; a level-3 label names a level-2 label, whose parent is taken from the same answer (Rekognition
 * returns a detected label's ancestors with it) or else from the taxonomy ({@link ModerationCategory}).
 * A label whose category is none this release knows (a later taxonomy) blocks ads: a category nobody
 * has decided on is not safe.
 */
@Component
public class BrandSafetyPolicy {

    private final Set<ModerationCategory> block;
    private final Set<ModerationCategory> restrict;
    private final float minConfidence;

    @Autowired
    public BrandSafetyPolicy(DigiadsProperties properties) {
        this(properties.brandSafety().block(), properties.brandSafety().restrict(),
                properties.brandSafety().minConfidence());
    }

    public BrandSafetyPolicy(Set<ModerationCategory> block, Set<ModerationCategory> restrict, float minConfidence) {
        this.block = block.isEmpty() ? EnumSet.noneOf(ModerationCategory.class) : EnumSet.copyOf(block);
        this.restrict = restrict.isEmpty() ? EnumSet.noneOf(ModerationCategory.class) : EnumSet.copyOf(restrict);
        if (this.restrict.stream().anyMatch(this.block::contains)) {
            throw new IllegalArgumentException("a category either blocks or restricts ads, not both");
        }
        this.minConfidence = minConfidence;
    }

    /**
     * The verdict on an image: decided for a LABELED one (UNKNOWN when it was not moderated); null for
     * any other, which has no labels and no deals to judge.
     */
    public BrandSafety verdict(ImageMetadata metadata) {
        if (metadata.status() != MetadataStatus.LABELED) {
            return null;
        }
        Moderation moderation = metadata.moderation();
        return moderation == null ? BrandSafety.UNKNOWN : verdict(moderation.labels());
    }

    /** getMetadata's answer: the metadata with its verdict. */
    public MetadataWithBrandSafety withVerdict(ImageMetadata metadata) {
        return new MetadataWithBrandSafety(metadata, verdict(metadata));
    }

    /** The verdict on what moderation found in an image (an empty list: nothing). */
    public BrandSafety verdict(List<ModerationLabel> labels) {
        Map<String, ModerationLabel> byName = new HashMap<>();
        labels.forEach(label -> byName.putIfAbsent(label.name(), label));
        Set<String> blocking = new LinkedHashSet<>();
        Set<String> restricting = new LinkedHashSet<>();
        labels.stream()
                .sorted((a, b) -> Float.compare(b.confidence(), a.confidence()))
                .filter(label -> label.confidence() >= minConfidence)
                .forEach(label -> {
                    String category = categoryOf(label, byName);
                    Optional<ModerationCategory> known = ModerationCategory.named(category);
                    if (known.isEmpty() || block.contains(known.get())) {
                        blocking.add(category);
                    } else if (restrict.contains(known.get())) {
                        restricting.add(category);
                    }
                });
        if (!blocking.isEmpty()) {
            return new BrandSafety(BrandSafety.Verdict.UNSAFE, List.copyOf(blocking));
        }
        if (!restricting.isEmpty()) {
            return new BrandSafety(BrandSafety.Verdict.RESTRICTED, List.copyOf(restricting));
        }
        return BrandSafety.SAFE;
    }

    /**
     * The name of the top-level category of a label, given the labels of the same answer by name: a
     * level-1 label's own name, a level-2 label's parent; for a level-3 label (or one without a level)
     * the parent of its parent when that is in the answer, else the category of its parent in the
     * taxonomy, else the parent's name (a category nobody knows: it blocks).
     */
    static String categoryOf(ModerationLabel label, Map<String, ModerationLabel> byName) {
        if (label.taxonomyLevel() == 1 || label.parentName().isEmpty()) {
            return label.name();
        }
        if (label.taxonomyLevel() == 2) {
            return label.parentName();
        }
        ModerationLabel parent = byName.get(label.parentName());
        if (parent != null) {
            return parent.parentName().isEmpty() ? parent.name() : parent.parentName();
        }
        return ModerationCategory.ofLevelTwo(label.parentName()).map(ModerationCategory::rekognitionName)
                .orElse(label.parentName());
    }
}
