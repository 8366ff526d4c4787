package digiads.labels;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An image found by label: its id, the label as Rekognition named it, its confidence, when the image
 * was labeled, and its brand-safety verdict (SAFE, RESTRICTED, UNSAFE, or UNKNOWN when it was not
 * moderated); {@code unsafe} marks an image whose verdict is UNSAFE.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageHit(String imageId, String label, float confidence, Instant labeledAt, String verdict,
                       boolean unsafe) {
}
