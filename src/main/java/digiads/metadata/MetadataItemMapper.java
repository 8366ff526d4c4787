package digiads.metadata;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.api.ApiException;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps {@link ImageMetadata} to and from its DynamoDB item (partition key {@code imageId}), and
 * gives the one conditional write of a state: only if no newer one is stored.
 * Absent optional values are left out of the item rather than stored as nulls. A tombstone
 * carries {@code expiresAt} (epoch seconds), the table's TTL attribute.
 *
 * <p>The item is the metadata's JSON in DynamoDB's types (string S, number N, boolean BOOL, null
 * NULL, array L, object M); an image that was not moderated has no {@code moderationLabels}, one in
 * which moderation found nothing an empty list. Fields of a newer minor version that a message
 * brings are kept that way, and attributes this instance does not know are ignored when it reads an
 * item. An item of a newer major version is not read as if it were known (see {@link ImageMetadata}).
 */
@Component
public class MetadataItemMapper {

    public static final String KEY = "imageId";
    public static final String ORDER_TOKEN = "orderToken";
    public static final String EXPIRES_AT = "expiresAt";
    /** Exchange property: the fields of a metadata message this instance does not know, as attributes. */
    public static final String UNKNOWN_FIELDS = "unknownFields";
    /** Exchange property: why the stored item could not be read (written by a newer major version). */
    public static final String UNREADABLE = "storedUnreadable";

    /**
     * The gallery's index (a global secondary index of the table): partition key {@value #GALLERY},
     * the same value {@value #GALLERY_ALL} in every image's item, sort key {@value #LISTED_AT}, when the
     * state was written (epoch milliseconds). Tombstones have neither, so a deleted image leaves the
     * index: a query of it, newest first, is the gallery of recent images.
     */
    public static final String RECENT_INDEX = "recent-images";
    public static final String GALLERY = "gallery";
    public static final String GALLERY_ALL = "images";
    public static final String LISTED_AT = "listedAt";

    /** A state may be written when the image has no item, or when the stored one is not newer. */
    public static final String WRITE_CONDITION = "attribute_not_exists(#imageId) OR #orderToken <= :orderToken";

    private static final Logger LOG = LoggerFactory.getLogger(MetadataItemMapper.class);

    private final Clock clock;
    private final TombstoneLife tombstoneLife;

    @Autowired
    public MetadataItemMapper(TombstoneLife tombstoneLife) {
        this(Clock.systemUTC(), tombstoneLife);
    }

    MetadataItemMapper(Clock clock, Duration tombstoneTtl) {
        this(clock, TombstoneLife.fixed(tombstoneTtl));
    }

    MetadataItemMapper(Clock clock, TombstoneLife tombstoneLife) {
        this.clock = clock;
        this.tombstoneLife = tombstoneLife;
    }

    public Map<String, AttributeValue> key(@ExchangeProperty("imageId") String imageId) {
        return Map.of(KEY, s(imageId));
    }

    /** The item of a state; {@code updatedAt} is now. */
    public Map<String, AttributeValue> toItem(ImageMetadata m) {
        return itemOf(m, null);
    }

    /**
     * The item to put for a state; {@code updatedAt} is now. The fields of a newer minor version's
     * message that this instance does not know are kept, but never in place of a known attribute
     * nor as the TTL attribute.
     */
    public Map<String, AttributeValue> itemOf(@Body ImageMetadata m,
                                              @ExchangeProperty(UNKNOWN_FIELDS) Map<String, AttributeValue> unknownFields) {
        Map<String, AttributeValue> item = new HashMap<>();
        if (unknownFields != null) {
            item.putAll(unknownFields);
            item.remove(EXPIRES_AT);
            item.remove(GALLERY);
            item.remove(LISTED_AT);
        }
        item.put(KEY, s(m.imageId()));
        item.put("schemaVersion", n(m.schemaVersion()));
        item.put("schemaMinor", n(m.schemaMinor()));
        item.put("bucket", s(m.bucket()));
        item.put("key", s(m.key()));
        putOrRemove(item, "eTag", m.eTag());
        item.put("size", n(m.size()));
        putOrRemove(item, "contentType", m.contentType());
        item.put("status", s(m.status().name()));
        putOrRemove(item, "reason", m.reason());
        item.put("labels", AttributeValue.fromL(m.labels().stream().map(MetadataItemMapper::label).toList()));
        putOrRemove(item, "labelModelVersion", m.labelModelVersion());
        if (m.moderationLabels() != null) {
            item.put("moderationLabels", AttributeValue.fromL(m.moderationLabels().stream()
                    .map(MetadataItemMapper::moderationLabel).toList()));
        } else {
            item.remove("moderationLabels");
        }
        putOrRemove(item, "moderationModelVersion", m.moderationModelVersion());
        putOrRemove(item, "extractedAt", m.extractedAt() == null ? null : m.extractedAt().toString());
        Instant now = clock.instant();
        item.put("updatedAt", s(now.toString()));
        item.put(ORDER_TOKEN, s(m.orderToken()));
        if (m.status() == MetadataStatus.DELETED) {
            item.put(EXPIRES_AT, n(now.plus(tombstoneLife.life()).getEpochSecond()));
        } else {
            item.put(GALLERY, s(GALLERY_ALL));
            item.put(LISTED_AT, n(now.toEpochMilli()));
        }
        return item;
    }

    /** A JSON value as a DynamoDB attribute of the same shape. */
    public static AttributeValue attribute(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return AttributeValue.fromNul(true);
        }
        if (value.isTextual()) {
            return s(value.asText());
        }
        if (value.isNumber()) {
            return AttributeValue.fromN(value.decimalValue().toPlainString());
        }
        if (value.isBoolean()) {
            return AttributeValue.fromBool(value.asBoolean());
        }
        if (value.isArray()) {
            List<AttributeValue> list = new ArrayList<>(value.size());
            value.forEach(element -> list.add(attribute(element)));
            return AttributeValue.fromL(list);
        }
        if (value.isObject()) {
            Map<String, AttributeValue> map = new LinkedHashMap<>();
            value.fields().forEachRemaining(field -> map.put(field.getKey(), attribute(field.getValue())));
            return AttributeValue.fromM(map);
        }
        // binary and POJO nodes do not come out of parsing JSON text
        return s(value.asText());
    }

    /**
     * The metadata of a stored item, or null when there is no item. Attributes this instance does not
     * know are ignored; {@link UnsupportedSchemaVersionException} for an item of a newer major version.
     */
    public ImageMetadata fromItem(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return null;
        }
        int schemaVersion = Integer.parseInt(item.get("schemaVersion").n());
        if (schemaVersion > ImageMetadata.SCHEMA_VERSION) {
            throw new UnsupportedSchemaVersionException(schemaVersion);
        }
        return new ImageMetadata(
                schemaVersion,
                item.containsKey("schemaMinor") ? Integer.parseInt(item.get("schemaMinor").n()) : 0,
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
                item.containsKey("moderationLabels") ? item.get("moderationLabels").l().stream()
                        .map(MetadataItemMapper::moderationLabel).toList() : null,
                str(item, "moderationModelVersion"),
                instant(item, "extractedAt"),
                instant(item, "updatedAt"),
                str(item, ORDER_TOKEN));
    }

    /**
     * What GetItem found: the stored state (a tombstone included), or null. An item of a newer major
     * version is null here, and why is left in the exchange property {@value #UNREADABLE}: the
     * pipeline then labels afresh (its conditional write still keeps a newer state), the API answers
     * 503.
     */
    public ImageMetadata found(@Header(Ddb2Constants.ATTRIBUTES) Map<String, AttributeValue> item, Exchange exchange) {
        exchange.removeProperty(UNREADABLE);
        try {
            return fromItem(item);
        } catch (UnsupportedSchemaVersionException e) {
            String why = "metadata of image '" + item.get(KEY).s() + "' was written by a newer release: " + e.getMessage();
            LOG.warn(why);
            exchange.setProperty(UNREADABLE, why);
            return null;
        }
    }

    /**
     * The metadata of an existing image, for the API: a 404 when there is none or it was deleted, a
     * 503 when it was written by a newer release than this instance (another instance may answer).
     */
    public ImageMetadata existing(@ExchangeProperty("stored") ImageMetadata stored,
                                  @ExchangeProperty("imageId") String imageId,
                                  @ExchangeProperty(UNREADABLE) String unreadable) {
        if (unreadable != null) {
            throw new ApiException(503, "service_unavailable", unreadable);
        }
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

    private static AttributeValue moderationLabel(ModerationLabel label) {
        return AttributeValue.fromM(Map.of(
                "name", s(label.name()),
                "parentName", s(label.parentName()),
                "taxonomyLevel", n(label.taxonomyLevel()),
                "confidence", AttributeValue.fromN(Float.toString(label.confidence()))));
    }

    /** A stored moderation label (of a metadata item, or as the label index carries it). */
    public static ModerationLabel moderationLabel(AttributeValue value) {
        Map<String, AttributeValue> m = value.m();
        return new ModerationLabel(m.get("name").s(), str(m, "parentName"),
                m.containsKey("taxonomyLevel") ? Integer.parseInt(m.get("taxonomyLevel").n()) : 0,
                Float.parseFloat(m.get("confidence").n()));
    }

    /** A known optional attribute: absent rather than null, and never an unknown field's value of the same name. */
    private static void putOrRemove(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        } else {
            item.remove(name);
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
