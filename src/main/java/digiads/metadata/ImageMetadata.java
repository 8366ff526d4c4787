package digiads.metadata;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The metadata of one image: the message extract-metadata posts to the metadata queue, the item
 * add-metadata writes to DynamoDB, and the body getMetadata returns.
 *
 * <p>Labels are kept sorted by confidence, highest first. {@code moderationLabels} are what
 * DetectModerationLabels found (also highest confidence first; empty: nothing found) and
 * {@code moderationModelVersion} its model; both are absent for an image that was not moderated (see
 * {@link #moderation()}). No brand-safety verdict is stored: it is decided when it is read, from these
 * labels and the policy of the moment ({@code digiads.brandsafety.BrandSafetyPolicy}). {@code updatedAt} is set when the item is
 * written; messages carry it empty. {@code orderToken} orders the S3 events of one image: a state
 * is stored only if no newer one is (see {@link OrderTokens}).
 *
 * <p><b>Versions.</b> {@code schemaVersion} is the major version of this shape and {@code schemaMinor}
 * its minor version (absent, as in everything written before there were minor versions: 0). A minor
 * version only adds optional top-level fields; readers ignore fields they do not know, so every
 * instance reads every minor version of its major, and add-metadata keeps the top-level fields it does
 * not know when it stores a message. Anything else (a field removed, renamed, retyped or given another
 * meaning, a new status, a field inside a label) is a new major version, which a reader refuses:
 * {@link UnsupportedSchemaVersionException}. A release may write a new major version only when the
 * release before it reads it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageMetadata(int schemaVersion, int schemaMinor, String imageId, String bucket, String key, String eTag,
                            long size, String contentType, MetadataStatus status, String reason, List<Label> labels,
                            String labelModelVersion, List<ModerationLabel> moderationLabels,
                            String moderationModelVersion, Instant extractedAt, Instant updatedAt, String orderToken) {

    /** The major version this instance reads and writes; it refuses a higher one. */
    public static final int SCHEMA_VERSION = 1;
    /**
     * The minor version this instance writes; it reads any. 1 added {@code moderationLabels} and
     * {@code moderationModelVersion} (DetectModerationLabels).
     */
    public static final int SCHEMA_MINOR = 1;

    public ImageMetadata {
        if (schemaVersion > SCHEMA_VERSION) {
            throw new UnsupportedSchemaVersionException(schemaVersion);
        }
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion " + schemaVersion + " is no version");
        }
        if (schemaMinor < 0) {
            throw new IllegalArgumentException("schemaMinor " + schemaMinor + " is no version");
        }
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        labels = labels == null ? List.of()
                : labels.stream().sorted(Comparator.comparingDouble(Label::confidence).reversed()).toList();
        // absent (null) is "not moderated", which is not the same as moderated with nothing found (empty)
        moderationLabels = moderationLabels == null ? null : new Moderation(moderationLabels, null).labels();
        orderToken = orderToken == null ? OrderTokens.OLDEST : orderToken;
    }

    /**
     * A labeled image with what moderation found in it; {@code moderation} null only for an image that
     * was not moderated (as a release before moderation wrote it).
     */
    public static ImageMetadata labeled(ProbedImage image, List<Label> labels, String labelModelVersion,
                                        Moderation moderation, Instant extractedAt) {
        return new ImageMetadata(SCHEMA_VERSION, SCHEMA_MINOR, image.imageId(), image.bucket(), image.key(),
                image.eTag(), image.size(), image.format().contentType(), MetadataStatus.LABELED, null, labels,
                labelModelVersion, moderation == null ? null : moderation.labels(),
                moderation == null ? null : moderation.modelVersion(), extractedAt, null, image.orderToken());
    }

    public static ImageMetadata rejected(ProbedImage image, String reason, Instant extractedAt) {
        return new ImageMetadata(SCHEMA_VERSION, SCHEMA_MINOR, image.imageId(), image.bucket(), image.key(),
                image.eTag(), image.size(), image.format().contentType(), MetadataStatus.REJECTED, reason, List.of(),
                null, null, null, extractedAt, null, image.orderToken());
    }

    /** The tombstone of a removed object. */
    public static ImageMetadata deleted(String imageId, String bucket, String key, String orderToken) {
        return new ImageMetadata(SCHEMA_VERSION, SCHEMA_MINOR, imageId, bucket, key, null, 0, null,
                MetadataStatus.DELETED, "object removed", List.of(), null, null, null, null, null, orderToken);
    }

    public ImageMetadata withUpdatedAt(Instant when) {
        return new ImageMetadata(schemaVersion, schemaMinor, imageId, bucket, key, eTag, size, contentType, status,
                reason, labels, labelModelVersion, moderationLabels, moderationModelVersion, extractedAt, when,
                orderToken);
    }

    /**
     * What DetectModerationLabels found in the image, or null when it was not moderated: not labeled
     * (REJECTED, DELETED), or labeled by a release before moderation. Null never means "nothing found".
     */
    public Moderation moderation() {
        return status == MetadataStatus.LABELED && moderationLabels != null
                ? new Moderation(moderationLabels, moderationModelVersion) : null;
    }

    /** Whether this is the moderation of exactly this content: the same object bytes need no second call. */
    public boolean moderationFor(String contentETag) {
        return labelsFor(contentETag) && moderation() != null;
    }

    /** Whether these are the labels of exactly this content: the same object bytes need no second Rekognition call. */
    public boolean labelsFor(String contentETag) {
        return status == MetadataStatus.LABELED && eTag != null && eTag.equals(contentETag);
    }
}
