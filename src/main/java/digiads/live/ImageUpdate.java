package digiads.live;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import digiads.metadata.ImageMetadata;
import digiads.metadata.Label;
import digiads.metadata.ProbedImage;

/**
 * A change of an image's state, as instances tell each other (through the updates topic) and
 * browsers (in their streams): {@code IN_WORK} when the pipeline starts on a new upload, then the
 * state it stored: {@code LABELED}, {@code REJECTED} (with the reason) or {@code DELETED}. It is a
 * hint, never the only way to learn a state: a reader reads the current state when it connects.
 * {@code orderToken} orders the states of one image (the later event's token is not smaller; an
 * {@code IN_WORK} and the state that ends it share one), so a reader can ignore a stale one.
 * Readers ignore fields they do not know: a later release may add some.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageUpdate(String imageId, String status, String reason, String contentType, List<Label> labels,
                          String orderToken, Instant at) {

    public static final String IN_WORK = "IN_WORK";

    public ImageUpdate {
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(status, "status");
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /** A state the pipeline stored (metadata or tombstone). */
    public static ImageUpdate stored(ImageMetadata state, Instant at) {
        return new ImageUpdate(state.imageId(), state.status().name(), state.reason(), state.contentType(),
                state.labels(), state.orderToken(), at);
    }

    /** The pipeline started on an object's content. */
    public static ImageUpdate inWork(ProbedImage image, Instant at) {
        return new ImageUpdate(image.imageId(), IN_WORK, null, image.format().contentType(), List.of(),
                image.orderToken(), at);
    }
}
