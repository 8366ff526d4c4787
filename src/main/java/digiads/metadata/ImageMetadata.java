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
 * written; messages carry it empty. {@code orderToken} orders the S3 events of one image: a state
 * is stored only if no newer one is (see {@link OrderTokens}).
 */
public record ImageMetadata(int schemaVersion, String imageId, String bucket, String key, String eTag, long size,
                            String contentType, MetadataStatus status, String reason, List<Label> labels,
                            String labelModelVersion, Instant extractedAt, Instant updatedAt, String orderToken) {

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
        orderToken = orderToken == null ? OrderTokens.OLDEST : orderToken;
    }

    public static ImageMetadata labeled(ProbedImage image, List<Label> labels, String labelModelVersion,
                                        Instant extractedAt) {
        return new ImageMetadata(SCHEMA_VERSION, image.imageId(), image.bucket(), image.key(), image.eTag(),
                image.size(), image.format().contentType(), MetadataStatus.LABELED, null, labels, labelModelVersion,
                extractedAt, null, image.orderToken());
    }

    public static ImageMetadata rejected(ProbedImage image, String reason, Instant extractedAt) {
        return new ImageMetadata(SCHEMA_VERSION, image.imageId(), image.bucket(), image.key(), image.eTag(),
                image.size(), image.format().contentType(), MetadataStatus.REJECTED, reason, List.of(), null,
                extractedAt, null, image.orderToken());
    }

    /** The tombstone of a removed object. */
    public static ImageMetadata deleted(String imageId, String bucket, String key, String orderToken) {
        return new ImageMetadata(SCHEMA_VERSION, imageId, bucket, key, null, 0, null, MetadataStatus.DELETED,
                "object removed", List.of(), null, null, null, orderToken);
    }

    public ImageMetadata withUpdatedAt(Instant when) {
        return new ImageMetadata(schemaVersion, imageId, bucket, key, eTag, size, contentType, status, reason, labels,
                labelModelVersion, extractedAt, when, orderToken);
    }

    /** Whether these are the labels of exactly this content: the same object bytes need no second Rekognition call. */
    public boolean labelsFor(String contentETag) {
        return status == MetadataStatus.LABELED && eTag != null && eTag.equals(contentETag);
    }
}
