package digiads.metadata;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import digiads.api.ApiException;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Maps {@link ImageMetadata} to and from its DynamoDB item (partition key {@code imageId}), and
 * gives the one conditional write of a state: only if no newer one is stored.
 * Absent optional values are left out of the item rather than stored as nulls. A tombstone
 * carries {@code expiresAt} (epoch seconds), the table's TTL attribute.
 */
@Component
public class MetadataItemMapper {

    public static final String KEY = "imageId";
    public static final String ORDER_TOKEN = "orderToken";
    public static final String EXPIRES_AT = "expiresAt";
    /** A state may be written when the image has no item, or when the stored one is not newer. */
    public static final String WRITE_CONDITION = "attribute_not_exists(#imageId) OR #orderToken <= :orderToken";

    private final Clock clock;
    private final Duration tombstoneTtl;

    @Autowired
    public MetadataItemMapper(@Value("${digiads.dynamodb.tombstone-ttl}") Duration tombstoneTtl) {
        this(Clock.systemUTC(), tombstoneTtl);
    }

    MetadataItemMapper(Clock clock, Duration tombstoneTtl) {
        this.clock = clock;
        this.tombstoneTtl = tombstoneTtl;
    }

    /**
     * The one write of a state: a PutItem of the whole item, on the condition that the image has no
     * item yet or the stored state is not newer than this one (by order token, compared as strings;
     * the same state again may rewrite itself). DynamoDB refuses it with ConditionalCheckFailed
     * when a newer state is stored: one request either way.
     */
    public PutItemRequest putIfNotNewer(String table, ImageMetadata m) {
        Map<String, AttributeValue> item = toItem(m);
        return PutItemRequest.builder()
                .tableName(table)
                .item(item)
                .conditionExpression(WRITE_CONDITION)
                .expressionAttributeNames(Map.of("#imageId", KEY, "#orderToken", ORDER_TOKEN))
                .expressionAttributeValues(Map.of(":orderToken", item.get(ORDER_TOKEN)))
                .build();
    }

    public Map<String, AttributeValue> key(@ExchangeProperty("imageId") String imageId) {
        return Map.of(KEY, s(imageId));
    }

    /** The item to put for a metadata message; {@code updatedAt} is now. */
    public Map<String, AttributeValue> toItem(ImageMetadata m) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, s(m.imageId()));
        item.put("schemaVersion", n(m.schemaVersion()));
        item.put("bucket", s(m.bucket()));
        item.put("key", s(m.key()));
        putIfPresent(item, "eTag", m.eTag());
        item.put("size", n(m.size()));
        putIfPresent(item, "contentType", m.contentType());
        item.put("status", s(m.status().name()));
        putIfPresent(item, "reason", m.reason());
        item.put("labels", AttributeValue.fromL(m.labels().stream().map(MetadataItemMapper::label).toList()));
        putIfPresent(item, "labelModelVersion", m.labelModelVersion());
        putIfPresent(item, "extractedAt", m.extractedAt() == null ? null : m.extractedAt().toString());
        item.put("updatedAt", s(clock.instant().toString()));
        item.put(ORDER_TOKEN, s(m.orderToken()));
        if (m.status() == MetadataStatus.DELETED) {
            item.put(EXPIRES_AT, n(clock.instant().plus(tombstoneTtl).getEpochSecond()));
        }
        return item;
    }

    /** The metadata of a stored item, or null when there is no item. */
    public ImageMetadata fromItem(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return null;
        }
        return new ImageMetadata(
                Integer.parseInt(item.get("schemaVersion").n()),
                item.get(KEY).s(),
                item.get("bucket").s(),
                item.get("key").s(),
                str(item, "eTag"),
                Long.parseLong(item.get("size").n()),
                str(item, "contentType"),
                MetadataStatus.valueOf(item.get("status").s()),
                str(item, "reason"),
                item.containsKey("labels") ? item.get("labels").l().stream().map(MetadataItemMapper::label).toList()
                        : List.of(),
                str(item, "labelModelVersion"),
                instant(item, "extractedAt"),
                instant(item, "updatedAt"),
                str(item, ORDER_TOKEN));
    }

    /** What GetItem found: the stored state (a tombstone included), or null. */
    public ImageMetadata found(@Header(Ddb2Constants.ATTRIBUTES) Map<String, AttributeValue> item) {
        return fromItem(item);
    }

    /** The metadata of an existing image, for the API: a 404 when there is none or it was deleted. */
    public ImageMetadata existing(@ExchangeProperty("stored") ImageMetadata stored,
                                  @ExchangeProperty("imageId") String imageId) {
        if (stored == null || stored.status() == MetadataStatus.DELETED) {
            throw ApiException.notFound("no metadata for image '" + imageId + "'");
        }
        return stored;
    }

    private static AttributeValue label(Label label) {
        return AttributeValue.fromM(Map.of(
                "name", s(label.name()),
                "confidence", AttributeValue.fromN(Float.toString(label.confidence())),
                "parents", AttributeValue.fromL(label.parents().stream().map(MetadataItemMapper::s).toList())));
    }

    private static Label label(AttributeValue value) {
        Map<String, AttributeValue> m = value.m();
        return new Label(m.get("name").s(), Float.parseFloat(m.get("confidence").n()),
                m.containsKey("parents") ? m.get("parents").l().stream().map(AttributeValue::s).toList() : List.of());
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String v = str(item, name);
        return v == null ? null : Instant.parse(v);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
