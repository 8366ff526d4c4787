package digiads.metadata;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The metadata of one image: the message extract-metadata posts to the metadata queue, the item
 * add-metadata writes to DynamoDB, and the body getMetadata returns.
 *
 * <p>Labels are kept sorted by confidence, highest first. {@code updatedAt} is set when the item is
 * written; messages carry it empty.
 */
public record ImageMetadata(int schemaVersion, String imageId, String bucket, String key, String eTag, long size,
                            String contentType, MetadataStatus status, String reason, List<Label> labels,
                            String labelModelVersion, Instant extractedAt, Instant updatedAt) {

    /** The version of this message's shape; readers reject versions they do not know. */
    public static final int SCHEMA_VERSION = 1;

    public ImageMetadata {
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("unknown metadata schemaVersion " + schemaVersion
                    + " (this version reads " + SCHEMA_VERSION + ")");
        }
        labels = labels == null ? List.of()
                : labels.stream().sorted(Comparator.comparingDouble(Label::confidence).reversed()).toList();
    }

    public static ImageMetadata labeled(ProbedImage image, List<Label> labels, String labelModelVersion,
                                        Instant extractedAt) {
        return new ImageMetadata(SCHEMA_VERSION, image.imageId(), image.bucket(), image.key(), image.eTag(),
                image.size(), image.format().contentType(), MetadataStatus.LABELED, null, labels, labelModelVersion,
                extractedAt, null);
    }

    public static ImageMetadata rejected(ProbedImage image, String reason, Instant extractedAt) {
        return new ImageMetadata(SCHEMA_VERSION, image.imageId(), image.bucket(), image.key(), image.eTag(),
                image.size(), image.format().contentType(), MetadataStatus.REJECTED, reason, List.of(), null,
                extractedAt, null);
    }

    public ImageMetadata withUpdatedAt(Instant when) {
        return new ImageMetadata(schemaVersion, imageId, bucket, key, eTag, size, contentType, status, reason, labels,
                labelModelVersion, extractedAt, when);
    }
}
