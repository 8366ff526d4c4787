package digiads.metadata;

import java.util.List;

/** One Rekognition label: its name, confidence in percent, and the names of its parent labels. */
public record Label(String name, float confidence, List<String> parents) {

    public Label {
        parents = parents == null ? List.of() : List.copyOf(parents);
    }
}
