package digiads.brandsafety;

import java.util.List;

/**
 * The brand-safety verdict on an image, decided when it is read from its stored moderation labels and
 * the policy of the moment ({@link BrandSafetyPolicy}).
 *
 * @param verdict    SAFE: deals may be served; RESTRICTED: deals may be served, the categories say which
 *                   restrictions apply; UNSAFE: no deals, the categories say why; UNKNOWN: the image has
 *                   not been moderated (metadata of a release before moderation), so no deals either
 * @param categories the top-level moderation categories (Rekognition's names) that decided the verdict,
 *                   most confident first; empty for SAFE and UNKNOWN
 */
public record BrandSafety(Verdict verdict, List<String> categories) {

    public enum Verdict { SAFE, RESTRICTED, UNSAFE, UNKNOWN }

    public static final BrandSafety SAFE = new BrandSafety(Verdict.SAFE, List.of());
    public static final BrandSafety UNKNOWN = new BrandSafety(Verdict.UNKNOWN, List.of());

    public BrandSafety {
        categories = List.copyOf(categories);
    }

    /** Whether deals may be served next to the image: SAFE or RESTRICTED, never UNSAFE or UNKNOWN. */
    public boolean servesDeals() {
        return verdict == Verdict.SAFE || verdict == Verdict.RESTRICTED;
    }
}
