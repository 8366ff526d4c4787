package digiads.events;

import java.time.Instant;

import digiads.metadata.ImageMetadata;
import digiads.metadata.OrderTokens;

/**
 * One S3 event record about an image: what happened to which object, as S3 reported it.
 *
 * @param eventName S3's event name without the {@code s3:} prefix, e.g. {@code ObjectCreated:Put}
 * @param key       the decoded object key
 * @param imageId   the key without the image prefix
 * @param size      object size from the event (0 for removals)
 * @param eTag      object ETag from the event, may be null (removals)
 * @param sequencer S3's ordering token, may be null (not every S3 implementation sends it)
 */
public record ImageEvent(Kind kind, String eventName, Instant eventTime, String bucket, String key, String imageId,
                         long size, String eTag, String sequencer) {

    public enum Kind { CREATED, REMOVED, OTHER }

    /** The tombstone this removal leaves. */
    public ImageMetadata tombstone() {
        return ImageMetadata.deleted(imageId, bucket, key, orderToken());
    }

    /** Orders this event among the events of the same object. */
    public String orderToken() {
        return OrderTokens.of(sequencer, eventTime);
    }

    public static Kind kindOf(String eventName) {
        if (eventName.startsWith("ObjectCreated:")) {
            return Kind.CREATED;
        }
        if (eventName.startsWith("ObjectRemoved:")) {
            return Kind.REMOVED;
        }
        return Kind.OTHER;
    }
}
