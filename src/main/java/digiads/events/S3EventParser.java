package digiads.events;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.eventnotifications.s3.model.S3;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;
import software.amazon.awssdk.eventnotifications.s3.model.S3Object;

/**
 * Reads a message of the events queue: S3 event notifications however they are delivered.
 *
 * <ul>
 * <li><b>S3 → SQS</b>: the body is an S3 event notification ({@code {"Records":[…]}}), read with the
 *     AWS SDK's {@link S3EventNotification} model. Every record is read, not just the first. Keys arrive
 *     URL-encoded the way S3 encodes them ({@code +} is a space, {@code %2B} a plus). A record whose
 *     {@code eventVersion} has another major version than 2 is refused, as AWS advises.</li>
 * <li><b>S3 → SNS → SQS</b>: the body is SNS's JSON envelope ({@code "Type":"Notification"}) and the
 *     notification is its {@code Message}, a string. With raw message delivery the body is the
 *     notification itself. SNS subscription and unsubscription confirmations change nothing.</li>
 * <li><b>S3 → EventBridge → SQS</b> (or through SNS): an {@code aws.s3} event; {@code Object Created}
 *     creates, {@code Object Deleted} removes (a delete, a delete marker or a lifecycle expiration),
 *     other detail types change nothing. Its key is not URL-encoded.</li>
 * </ul>
 *
 * <p>Events about another bucket or a key outside the image prefix are logged and left out. A message
 * that is well formed but asks for nothing (S3's test event, an SNS confirmation, another EventBridge
 * event) says why, to be logged and acknowledged. Anything else is a {@link MalformedMessageException}
 * with the reason: retrying it can never help.
 */
@Component
public class S3EventParser {

    private static final Logger LOG = LoggerFactory.getLogger(S3EventParser.class);

    /** The major version of S3's event structure this reads; a minor version only adds fields. */
    static final String EVENT_VERSION_MAJOR = "2";

    private final ObjectMapper mapper;
    private final ImageKeys keys;

    public S3EventParser(ObjectMapper mapper, ImageKeys keys) {
        this.mapper = mapper;
        this.keys = keys;
    }

    public S3Notification parse(String body) {
        JsonNode root = readObject(body, "message body");
        if (isSnsMessage(root)) {
            return snsMessage(root);
        }
        return notification(root);
    }

    /** What S3 sent, as it arrives directly, through SNS with raw message delivery, or as SNS's Message. */
    private S3Notification notification(JsonNode root) {
        if (isEventBridgeEvent(root)) {
            return eventBridgeEvent(root);
        }
        return s3EventNotification(root);
    }

    // --- SNS ---------------------------------------------------------------------------------------

    private static boolean isSnsMessage(JsonNode root) {
        return root.path("Type").isTextual() && root.path("TopicArn").isTextual();
    }

    private S3Notification snsMessage(JsonNode envelope) {
        String type = envelope.get("Type").asText();
        String topic = envelope.get("TopicArn").asText();
        switch (type) {
            case "Notification" -> {
                JsonNode message = envelope.get("Message");
                if (message == null || !message.isTextual()) {
                    throw new MalformedMessageException("SNS notification of topic " + topic + " has no Message");
                }
                try {
                    return notification(readObject(message.asText(), "SNS Message"));
                } catch (MalformedMessageException e) {
                    throw new MalformedMessageException("SNS notification of topic " + topic + ": " + e.getMessage(), e);
                }
            }
            case "SubscriptionConfirmation" -> {
                return S3Notification.acknowledged("SNS subscription confirmation of topic " + topic
                        + " (a subscription made by the infrastructure needs none; to confirm this one, visit "
                        + envelope.path("SubscribeURL").asText("its SubscribeURL") + ")");
            }
            case "UnsubscribeConfirmation" -> {
                return S3Notification.acknowledged("SNS unsubscribe confirmation of topic " + topic);
            }
            default -> throw new MalformedMessageException("SNS message of unknown Type '" + type + "' from topic " + topic);
        }
    }

    // --- EventBridge -------------------------------------------------------------------------------

    private static boolean isEventBridgeEvent(JsonNode root) {
        return root.path("detail-type").isTextual() && root.path("source").isTextual() && root.has("detail");
    }

    private S3Notification eventBridgeEvent(JsonNode event) {
        String type = event.get("detail-type").asText();
        String source = event.get("source").asText();
        if (!"aws.s3".equals(source)) {
            return S3Notification.acknowledged("EventBridge event '" + type + "' from " + source + ": not an S3 event");
        }
        ImageEvent.Kind kind = switch (type) {
            case "Object Created" -> ImageEvent.Kind.CREATED;
            case "Object Deleted" -> ImageEvent.Kind.REMOVED;
            default -> ImageEvent.Kind.OTHER;
        };
        if (kind == ImageEvent.Kind.OTHER) {
            return S3Notification.acknowledged("EventBridge event '" + type + "' from aws.s3 for "
                    + event.path("detail").path("object").path("key").asText("?") + ": changes no metadata");
        }
        String what = "EventBridge event '" + type + "'";
        JsonNode detail = event.get("detail");
        JsonNode object = detail.path("object");
        String bucket = requiredText(detail.path("bucket"), "name", what + " has no detail.bucket.name");
        String key = requiredText(object, "key", what + " has no detail.object.key");
        String reason = detail.path("reason").isTextual() ? detail.get("reason").asText() : null;
        ImageEvent imageEvent = new ImageEvent(kind, reason == null ? type : type + " (" + reason + ")",
                time(event.path("time"), what + " has an invalid time"), bucket, key, keys.imageId(key).orElse(null),
                object.path("size").asLong(0), textOrNull(object, "etag"), textOrNull(object, "sequencer"));
        checkOrderToken(imageEvent, what);
        List<ImageEvent> events = new ArrayList<>(1);
        keepIfImage(imageEvent, events);
        return S3Notification.of(events);
    }

    // --- S3 event notifications --------------------------------------------------------------------

    private S3Notification s3EventNotification(JsonNode root) {
        if ("s3:TestEvent".equals(root.path("Event").asText(null))) {
            return S3Notification.acknowledged("S3 test event for bucket " + root.path("Bucket").asText("?"));
        }
        JsonNode records = root.get("Records");
        if (records == null || !records.isArray()) {
            throw new MalformedMessageException("not an S3 event notification: no Records array");
        }
        if (records.isEmpty()) {
            throw new MalformedMessageException("not an S3 event notification: Records is empty");
        }
        List<ImageEvent> events = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            keepIfImage(record(records.get(i), i), events);
        }
        return S3Notification.of(events);
    }

    /** One record, read by the SDK on its own, so that a bad one is named by its index. */
    private ImageEvent record(JsonNode node, int index) {
        String at = "record " + index;
        S3EventNotificationRecord record;
        try {
            record = S3EventNotification.fromJson("{\"Records\":[" + mapper.writeValueAsString(node) + "]}")
                    .getRecords().get(0);
        } catch (DateTimeParseException e) {
            throw new MalformedMessageException(at + " has an invalid eventTime: " + e.getParsedString(), e);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new MalformedMessageException(at + " is not an S3 event record: " + e.getMessage(), e);
        }
        String eventName = record.getEventName();
        if (eventName == null || eventName.isEmpty()) {
            throw new MalformedMessageException(at + " has no eventName");
        }
        String version = record.getEventVersion();
        if (version != null && !(version.equals(EVENT_VERSION_MAJOR) || version.startsWith(EVENT_VERSION_MAJOR + "."))) {
            throw new MalformedMessageException(at + " has eventVersion " + version + "; this instance reads "
                    + EVENT_VERSION_MAJOR + ".x");
        }
        S3 s3 = record.getS3();
        String bucket = s3 == null || s3.getBucket() == null ? null : s3.getBucket().getName();
        if (bucket == null || bucket.isEmpty()) {
            throw new MalformedMessageException(at + " has no bucket name");
        }
        S3Object object = s3.getObject();
        if (object == null || object.getKey() == null || object.getKey().isEmpty()) {
            throw new MalformedMessageException(at + " has no object key");
        }
        String key;
        try {
            key = object.getUrlDecodedKey();
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(at + " has an undecodable key: " + object.getKey(), e);
        }
        ImageEvent event = new ImageEvent(ImageEvent.kindOf(eventName), eventName, record.getEventTime(), bucket, key,
                keys.imageId(key).orElse(null), object.getSizeAsLong() == null ? 0 : object.getSizeAsLong(),
                object.getETag(), object.getSequencer());
        checkOrderToken(event, at);
        return event;
    }

    // --- common ------------------------------------------------------------------------------------

    private void keepIfImage(ImageEvent event, List<ImageEvent> events) {
        if (!keys.bucket().equals(event.bucket())) {
            LOG.info("Skipping {} for s3://{}/{}: not the image bucket {}", event.eventName(), event.bucket(),
                    event.key(), keys.bucket());
        } else if (event.imageId() == null) {
            LOG.info("Skipping {} for s3://{}/{}: key outside the image prefix", event.eventName(),
                    event.bucket(), event.key());
        } else {
            events.add(event);
        }
    }

    private static void checkOrderToken(ImageEvent event, String what) {
        try {
            event.orderToken();
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": " + e.getMessage(), e);
        }
    }

    private JsonNode readObject(String json, String what) {
        if (json == null || json.isBlank()) {
            throw new MalformedMessageException("empty " + what);
        }
        try {
            JsonNode root = mapper.readTree(json);
            if (root == null || !root.isObject()) {
                throw new MalformedMessageException("not an S3 event notification: " + what + " is not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String requiredText(JsonNode node, String field, String otherwise) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new MalformedMessageException(otherwise);
        }
        return value.asText();
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static Instant time(JsonNode value, String otherwise) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new MalformedMessageException(otherwise + ": " + value.asText(), e);
        }
    }
}
