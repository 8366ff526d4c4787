package digiads.events;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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

/**
 * Reads the body of an S3 event notification delivered to SQS.
 *
 * <p>Every record of a message is read, not just the first. Keys arrive URL-encoded the way S3
 * encodes them ({@code +} is a space, {@code %2B} a plus). Records about another bucket or a key
 * outside the image prefix are logged and left out. Anything that is not an S3 notification at all
 * is a {@link MalformedMessageException}: retrying it can never help.
 */
@Component
public class S3EventParser {

    private static final Logger LOG = LoggerFactory.getLogger(S3EventParser.class);

    private final ObjectMapper mapper;
    private final ImageKeys keys;

    public S3EventParser(ObjectMapper mapper, ImageKeys keys) {
        this.mapper = mapper;
        this.keys = keys;
    }

    public S3Notification parse(String body) {
        JsonNode root = readTree(body);
        if ("s3:TestEvent".equals(root.path("Event").asText(null))) {
            return S3Notification.test(root.path("Bucket").asText(null));
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
            ImageEvent event = record(records.get(i), i);
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
        return new S3Notification(false, keys.bucket(), events);
    }

    private JsonNode readTree(String body) {
        if (body == null || body.isBlank()) {
            throw new MalformedMessageException("empty message body");
        }
        try {
            JsonNode root = mapper.readTree(body);
            if (root == null || !root.isObject()) {
                throw new MalformedMessageException("not an S3 event notification: body is not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private ImageEvent record(JsonNode record, int index) {
        String eventName = text(record, "eventName", index);
        String bucket = text(record.path("s3").path("bucket"), "name", index);
        JsonNode object = record.path("s3").path("object");
        String key = decodeKey(text(object, "key", index), index);
        ImageEvent event = new ImageEvent(ImageEvent.kindOf(eventName), eventName, eventTime(record, index), bucket,
                key, keys.imageId(key).orElse(null), object.path("size").asLong(0), object.path("eTag").asText(null),
                object.path("sequencer").asText(null));
        try {
            event.orderToken();
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("record " + index + ": " + e.getMessage(), e);
        }
        return event;
    }

    private static String text(JsonNode node, String field, int index) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new MalformedMessageException("record " + index + " has no " + field);
        }
        return value.asText();
    }

    private static Instant eventTime(JsonNode record, int index) {
        String time = record.path("eventTime").asText(null);
        if (time == null) {
            return null;
        }
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new MalformedMessageException("record " + index + " has an invalid eventTime: " + time, e);
        }
    }

    private static String decodeKey(String encoded, int index) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("record " + index + " has an undecodable key: " + encoded, e);
        }
    }
}
