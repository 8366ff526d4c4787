package digiads.events;

import java.time.Instant;

import digiads.metadata.ImageMetadata;
import digiads.metadata.OrderTokens;

/**
 * One S3 event about an image: what happened to which object, as S3 reported it (in an event
 * notification record, directly or through SNS, or in an EventBridge event).
 *
 * @param eventName what S3 called it: the notification's event name without the {@code s3:} prefix,
 *                  e.g. {@code ObjectCreated:Put}, or EventBridge's detail type with its reason, e.g.
 *                  {@code Object Deleted (Lifecycle Expiration)}
 * @param key       the decoded object key
 * @param imageId   the key without the image prefix
 * @param size      object size from the event (0 for removals)
 * @param eTag      object ETag from the event, may be null (removals)
 * @param sequencer S3's ordering token, may be null (not every S3 implementation sends it)
 */
public record ImageEvent(Kind kind, String eventName, Instant eventTime, String bucket, String key, String imageId,
                         long size, String eTag, String sequencer) {

    /**
     * CREATED: the object has (new) content. REMOVED: the object is gone, or hidden behind a delete
     * marker; whether deleted by a request or expired by a lifecycle rule. OTHER: nothing that
     * changes the metadata (restores, tagging, ACLs, storage class transitions, replication).
     */
    public enum Kind { CREATED, REMOVED, OTHER }

    /** The tombstone this removal leaves. */
    public ImageMetadata tombstone() {
        return ImageMetadata.deleted(imageId, bucket, key, orderToken());
    }

    /** Orders this event among the events of the same object. */
    public String orderToken() {
        return OrderTokens.of(sequencer, eventTime);
    }

    /**
     * The kind of an S3 event notification's event name: {@code ObjectCreated:*} creates;
     * {@code ObjectRemoved:Delete}, {@code ObjectRemoved:DeleteMarkerCreated},
     * {@code LifecycleExpiration:Delete} and {@code LifecycleExpiration:DeleteMarkerCreated} remove.
     * ({@code ObjectRestore:Delete} is not a removal: only a restored copy expired.)
     */
    public static Kind kindOf(String eventName) {
        if (eventName.startsWith("ObjectCreated:")) {
            return Kind.CREATED;
        }
        if (eventName.startsWith("ObjectRemoved:") || eventName.startsWith("LifecycleExpiration:")) {
            return Kind.REMOVED;
        }
        return Kind.OTHER;
    }
}
