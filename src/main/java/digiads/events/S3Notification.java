package digiads.events;

import java.util.List;

/**
 * An S3 event notification as read from the queue: either S3's configuration test message, or the
 * image events of its records (records about other buckets or keys outside the prefix are dropped).
 */
public record S3Notification(boolean testEvent, String bucket, List<ImageEvent> events) {

    public S3Notification {
        events = List.copyOf(events);
    }

    public static S3Notification test(String bucket) {
        return new S3Notification(true, bucket, List.of());
    }
}
