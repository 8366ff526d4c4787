package digiads.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import digiads.events.ImageEvent;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Fields of a newer minor version are stored as DynamoDB attributes of their JSON shape; what GetItem
 * found is read, or, when a newer major version wrote it, left unread with the reason; tombstones.
 */
class MetadataItemAttributesTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final MetadataItemMapper mapper = new MetadataItemMapper(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(7));

    @Test
    void jsonValuesBecomeAttributesOfTheSameShape() throws Exception {
        var json = new ObjectMapper().readTree("""
                {"s":"text","n":12.5,"i":7,"t":true,"f":false,"z":null,"l":["a",1,[]],"m":{"x":{"y":"z"},"e":{}}}""");

        assertThat(MetadataItemMapper.attribute(json.get("s"))).isEqualTo(AttributeValue.fromS("text"));
        assertThat(MetadataItemMapper.attribute(json.get("n"))).isEqualTo(AttributeValue.fromN("12.5"));
        assertThat(MetadataItemMapper.attribute(json.get("i"))).isEqualTo(AttributeValue.fromN("7"));
        assertThat(MetadataItemMapper.attribute(json.get("t"))).isEqualTo(AttributeValue.fromBool(true));
        assertThat(MetadataItemMapper.attribute(json.get("f"))).isEqualTo(AttributeValue.fromBool(false));
        assertThat(MetadataItemMapper.attribute(json.get("z"))).isEqualTo(AttributeValue.fromNul(true));
        assertThat(MetadataItemMapper.attribute(json.get("absent"))).isEqualTo(AttributeValue.fromNul(true));
        assertThat(MetadataItemMapper.attribute(json.path("absent"))).isEqualTo(AttributeValue.fromNul(true));
        assertThat(MetadataItemMapper.attribute(json.get("l"))).isEqualTo(AttributeValue.fromL(List.of(
                AttributeValue.fromS("a"), AttributeValue.fromN("1"), AttributeValue.fromL(List.of()))));
        assertThat(MetadataItemMapper.attribute(json.get("m"))).isEqualTo(AttributeValue.fromM(Map.of(
                "x", AttributeValue.fromM(Map.of("y", AttributeValue.fromS("z"))),
                "e", AttributeValue.fromM(Map.of()))));
        assertThat(MetadataItemMapper.attribute(JsonNodeFactory.instance.binaryNode(new byte[] {1, 2})))
                .isEqualTo(AttributeValue.fromS("AQI="));
    }

    private static Exchange exchange() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(MetadataItemMapper.UNREADABLE, "left over from the previous exchange");
        return exchange;
    }

    @Test
    void whatGetItemFoundIsReadAndAnyEarlierVerdictCleared() {
        ImageMetadata tombstone = ImageMetadata.deleted("a.jpg", "digiads-images", "images/a.jpg", "T5");
        Map<String, AttributeValue> item = mapper.toItem(tombstone);
        Exchange exchange = exchange();

        assertThat(mapper.found(item, exchange)).isEqualTo(tombstone.withUpdatedAt(NOW));
        assertThat(exchange.getProperty(MetadataItemMapper.UNREADABLE)).isNull();

        Exchange nothing = exchange();
        assertThat(mapper.found(null, nothing)).isNull();
        assertThat(nothing.getProperty(MetadataItemMapper.UNREADABLE)).isNull();
    }

    @Test
    void anItemOfANewerMajorVersionIsLeftUnreadWithTheReason() {
        Map<String, AttributeValue> item = new java.util.HashMap<>(mapper.toItem(
                ImageMetadata.deleted("a.jpg", "digiads-images", "images/a.jpg", "T5")));
        item.put("schemaVersion", AttributeValue.fromN(Integer.toString(ImageMetadata.SCHEMA_VERSION + 1)));
        Exchange exchange = exchange();

        assertThat(mapper.found(item, exchange)).isNull();
        assertThat(exchange.getProperty(MetadataItemMapper.UNREADABLE, String.class)).isEqualTo(
                "metadata of image 'a.jpg' was written by a newer release: metadata schemaVersion "
                        + (ImageMetadata.SCHEMA_VERSION + 1) + " is newer than this instance reads ("
                        + ImageMetadata.SCHEMA_VERSION + ")");
        assertThat(new UnsupportedSchemaVersionException(9).schemaVersion()).isEqualTo(9);
    }

    @Test
    void aRemovalLeavesATombstoneThatExpires() {
        ImageEvent removal = new ImageEvent(ImageEvent.Kind.REMOVED, "ObjectRemoved:Delete", NOW, "digiads-images",
                "images/a.jpg", "a.jpg", 0, null, "0B");

        ImageMetadata tombstone = removal.tombstone();

        assertThat(tombstone).isEqualTo(new ImageMetadata(ImageMetadata.SCHEMA_VERSION, ImageMetadata.SCHEMA_MINOR,
                "a.jpg", "digiads-images", "images/a.jpg", null, 0, null, MetadataStatus.DELETED, "object removed",
                List.of(), null, null, null, null, null, removal.orderToken()));
        assertThat(mapper.toItem(tombstone).get(MetadataItemMapper.EXPIRES_AT))
                .isEqualTo(AttributeValue.fromN(Long.toString(NOW.plus(Duration.ofDays(7)).getEpochSecond())));
    }
}
