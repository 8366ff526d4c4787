package digiads.labels;

import java.text.Normalizer;
import java.util.Locale;

/**
 * How a label is matched: case-insensitively, whatever the spacing. A label's normalized name is its
 * Unicode compatibility form (NFKC), trimmed, with runs of white space made one space, in lower case;
 * "Dog", " dog " and "DOG" are the same label. Index items are keyed by it, and a search normalizes its
 * query the same way.
 */
public final class LabelNames {

    /** The longest normalized name the index keeps or a search accepts (Rekognition's are far shorter). */
    public static final int MAX_LENGTH = 200;

    private LabelNames() {
    }

    /** The normalized name, or null for a null or blank name. */
    public static String normalize(String name) {
        if (name == null) {
            return null;
        }
        String normalized = Normalizer.normalize(name, Normalizer.Form.NFKC).strip().replaceAll("\\s+", " ")
                .toLowerCase(Locale.ROOT);
        return normalized.isEmpty() ? null : normalized;
    }
}
