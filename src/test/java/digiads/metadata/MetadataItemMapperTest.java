package digiads.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import digiads.api.ApiException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

class MetadataItemMapperTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final MetadataItemMapper mapper = new MetadataItemMapper(Clock.fixed(NOW, ZoneOffset.UTC), java.time.Duration.ofDays(7));

    private static final ProbedImage JPEG = new ProbedImage("a/b c+ü.jpg", "digiads-images", "images/a/b c+ü.jpg",
            false, "etag1", 2048, ImageFormat.JPEG, null);

    @Test
    void labeledItemRoundTrips() {
        ImageMetadata labeled = ImageMetadata.labeled(JPEG, List.of(
                new Label("Dog", 91.5f, List.of("Animal", "Pet")),
                new Label("Beach", 99.25f, List.of())), "3.0", Instant.parse("2026-11-26T11:59:59Z"));

        Map<String, AttributeValue> item = mapper.toItem(labeled);
        ImageMetadata back = mapper.fromItem(item);

        assertThat(item.get("imageId").s()).isEqualTo("a/b c+ü.jpg");
        assertThat(item.get("status").s()).isEqualTo("LABELED");
        assertThat(item).doesNotContainKey("reason");
        assertThat(back).isEqualTo(labeled.withUpdatedAt(NOW));
        assertThat(back.labels()).extracting(Label::name).containsExactly("Beach", "Dog");
        assertThat(back.labels().get(1).parents()).containsExactly("Animal", "Pet");
    }

    @Test
    void rejectedItemRoundTrips() {
        ImageMetadata rejected = ImageMetadata.rejected(JPEG, "empty object", NOW);

        Map<String, AttributeValue> item = mapper.toItem(rejected);

        assertThat(item.get("reason").s()).isEqualTo("empty object");
        assertThat(item.get("labels").l()).isEmpty();
        assertThat(item).doesNotContainKey("labelModelVersion");
        assertThat(mapper.fromItem(item)).isEqualTo(rejected.withUpdatedAt(NOW));
    }

    @Test
    void noItemIsNoMetadataAndA404ForTheApi() {
        assertThat(mapper.fromItem(null)).isNull();
        assertThat(mapper.fromItem(Map.of())).isNull();
        assertThatThrownBy(() -> mapper.existing(mapper.found(Map.of()), "x.jpg"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void keyIsTheImageId() {
        assertThat(mapper.key("a/b.jpg")).isEqualTo(Map.of("imageId", AttributeValue.fromS("a/b.jpg")));
    }

    @Test
    void aStateIsOneWriteOnTheConditionThatNoNewerOneIsStored() {
        ImageMetadata state = ImageMetadata.labeled(new ProbedImage("a.jpg", "digiads-images", "images/a.jpg", false,
                "e1", 2048, ImageFormat.JPEG, OrderTokens.of("0A", null)), List.of(), "3.0", NOW);

        PutItemRequest put = mapper.putIfNotNewer("digiads-metadata", state);

        assertThat(put.tableName()).isEqualTo("digiads-metadata");
        assertThat(put.item()).isEqualTo(mapper.toItem(state));
        assertThat(put.conditionExpression()).isEqualTo("attribute_not_exists(#imageId) OR #orderToken <= :orderToken");
        assertThat(put.expressionAttributeNames()).isEqualTo(Map.of("#imageId", "imageId", "#orderToken", "orderToken"));
        assertThat(put.expressionAttributeValues())
                .isEqualTo(Map.of(":orderToken", AttributeValue.fromS(OrderTokens.of("0A", null))));
        assertThat(put.hasExpected()).as("no legacy Expected map").isFalse();
    }

    @Test
    void metadataRejectsUnknownSchemaVersionsAndMissingIdentity() {
        assertThatThrownBy(() -> new ImageMetadata(2, "a", "b", "k", null, 0, null, MetadataStatus.LABELED, null,
                null, null, null, null, null)).hasMessageContaining("schemaVersion 2");
        assertThatThrownBy(() -> new ImageMetadata(1, null, "b", "k", null, 0, null, MetadataStatus.LABELED, null,
                null, null, null, null, null)).hasMessageContaining("imageId");
    }
}
