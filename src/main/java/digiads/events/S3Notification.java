package digiads.events;

import java.util.List;
import java.util.Objects;

/**
 * What one message of the events queue asks for: the image events of an S3 event notification
 * (however it was delivered: by S3 itself, through SNS, or by EventBridge), or nothing, with why:
 * S3's test event, an SNS subscription confirmation, an EventBridge event of a type that changes no
 * metadata. A message with nothing to do is logged and acknowledged. Events about other buckets or
 * keys outside the prefix are already left out.
 */
public record S3Notification(List<ImageEvent> events, String nothingToDo) {

    public S3Notification {
        events = List.copyOf(events);
    }

    public static S3Notification of(List<ImageEvent> events) {
        return new S3Notification(events, null);
    }

    /**
     * A message that is well formed but asks for nothing; {@code why} is logged. (Not named like the
     * accessor: Camel's simple language would call this static method for {@code ${body.nothingToDo}}.)
     */
    public static S3Notification acknowledged(String why) {
        return new S3Notification(List.of(), Objects.requireNonNull(why, "why"));
    }

    /** Whether the message is only to be logged and acknowledged. */
    public boolean acknowledgeOnly() {
        return nothingToDo != null;
    }
}
