package digiads.metadata;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One label of Rekognition's DetectModerationLabels, as it answered: its name, the name of its parent
 * label ({@code ""} for a top-level category, as Rekognition says), its level in the moderation
 * taxonomy (1 to 3; 0 when Rekognition gave none) and its confidence in percent.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModerationLabel(String name, String parentName, int taxonomyLevel, float confidence) {

    public ModerationLabel {
        parentName = parentName == null ? "" : parentName;
    }
}
