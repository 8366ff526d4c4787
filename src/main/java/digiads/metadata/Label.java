package digiads.metadata;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One Rekognition label: its name, confidence in percent, and the names of its parent labels. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Label(String name, float confidence, List<String> parents) {

    public Label {
        parents = parents == null ? List.of() : List.copyOf(parents);
    }
}
