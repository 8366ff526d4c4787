package digiads.gallery;

import java.time.Instant;
import java.util.List;

import digiads.metadata.Label;

/** An image of the gallery: its state, its top labels and where to GET its picture (presigned). */
public record GalleryImage(String imageId, String status, String reason, String contentType, List<Label> labels,
                           String orderToken, Instant updatedAt, String pictureUrl) {
}
