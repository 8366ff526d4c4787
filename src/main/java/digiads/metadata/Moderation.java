package digiads.metadata;

import java.util.Comparator;
import java.util.List;

/**
 * What DetectModerationLabels found in an image: its labels, highest confidence first (none for an image
 * it found nothing in), and the version of the moderation model that found them (as Rekognition named
 * it; absent if it named none). An image without a {@code Moderation} has not been moderated (see
 * {@link ImageMetadata#moderation()}).
 */
public record Moderation(List<ModerationLabel> labels, String modelVersion) {

    public Moderation {
        labels = labels == null ? List.of()
                : labels.stream().sorted(Comparator.comparingDouble(ModerationLabel::confidence).reversed()).toList();
    }
}
