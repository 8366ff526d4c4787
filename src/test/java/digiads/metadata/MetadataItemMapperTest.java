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

class MetadataItemMapperTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final MetadataItemMapper mapper = new MetadataItemMapper(Clock.fixed(NOW, ZoneOffset.UTC), java.time.Duration.ofDays(7));

    private static final ProbedImage JPEG = new ProbedImage("a/b c+ü.jpg", "digiads-images", "images/a/b c+ü.jpg",
            false, "etag1", 2048, ImageFormat.JPEG, null);

    @Test
    void labeledItemRoundTrips() {
        ImageMetadata labeled = ImageMetadata.labeled(JPEG, List.of(
                new Label("Dog", 91.5f, List.of("Animal", "Pet")),
                new Label("Beach", 99.25f, List.of())), "3.0", new Moderation(List.of(), "7.0"), Instant.parse("2026-11-26T11:59:59Z"));

        Map<String, AttributeValue> item = mapper.toItem(labeled);
        ImageMetadata back = mapper.fromItem(item);

        assertThat(item.get("imageId").s()).isEqualTo("a/b c+ü.jpg");
        assertThat(item.get("status").s()).isEqualTo("LABELED");
        assertThat(item).doesNotContainKey("reason");
        assertThat(back).isEqualTo(labeled.withUpdatedAt(NOW));
        assertThat(back.labels()).extracting(Label::name).containsExactly("Beach", "Dog");
        assertThat(back.labels().get(1).parents()).containsExactly("Animal", "Pet");
        assertThat(item.get("moderationLabels").l()).as("moderated, nothing found").isEmpty();
        assertThat(item.get("moderationModelVersion").s()).isEqualTo("7.0");
        assertThat(item.get("schemaMinor").n()).isEqualTo("1");
    }

    @Test
    void moderationLabelsRoundTripWithTheirParentLevelAndConfidence() {
        ImageMetadata labeled = ImageMetadata.labeled(JPEG, List.of(), "3.0", new Moderation(List.of(
                new ModerationLabel("Graphic Violence", "Violence", 2, 91.25f),
                new ModerationLabel("Violence", "", 1, 97.5f)), "7.0"), NOW);

        Map<String, AttributeValue> item = mapper.toItem(labeled);
        ImageMetadata back = mapper.fromItem(item);

        assertThat(item.get("moderationLabels").l().get(0)).isEqualTo(AttributeValue.fromM(Map.of(
                "name", AttributeValue.fromS("Violence"), "parentName", AttributeValue.fromS(""),
                "taxonomyLevel", AttributeValue.fromN("1"), "confidence", AttributeValue.fromN("97.5"))));
        assertThat(back).isEqualTo(labeled.withUpdatedAt(NOW));
        assertThat(back.moderation()).isEqualTo(new Moderation(List.of(new ModerationLabel("Violence", "", 1, 97.5f),
                new ModerationLabel("Graphic Violence", "Violence", 2, 91.25f)), "7.0"));
    }

    @Test
    void anItemOfAReleaseBeforeModerationHasNoModerationWhichIsNotNothingFound() {
        Map<String, AttributeValue> item = new java.util.HashMap<>(mapper.toItem(ImageMetadata.labeled(JPEG,
                List.of(new Label("Dog", 91.5f, List.of())), "3.0", new Moderation(List.of(), "7.0"), NOW)));
        item.remove("moderationLabels");
        item.remove("moderationModelVersion");
        item.put("schemaMinor", AttributeValue.fromN("0"));

        ImageMetadata older = mapper.fromItem(item);

        assertThat(older.moderationLabels()).isNull();
        assertThat(older.moderation()).isNull();
        assertThat(mapper.toItem(older)).as("written back as it was: no moderation").doesNotContainKeys(
                "moderationLabels", "moderationModelVersion");
        item.remove("schemaMinor");
        assertThat(mapper.fromItem(item).schemaMinor()).isZero();
    }

    @Test
    void aModerationLabelStoredWithoutParentOrLevelIsTopLevelOfUnknownLevel() {
        Map<String, AttributeValue> item = new java.util.HashMap<>(mapper.toItem(ImageMetadata.labeled(JPEG,
                List.of(), "3.0", new Moderation(List.of(), null), NOW)));
        item.put("moderationLabels", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                "name", AttributeValue.fromS("Alcohol"), "confidence", AttributeValue.fromN("88.5"))))));

        ImageMetadata read = mapper.fromItem(item);

        assertThat(read.moderationLabels()).containsExactly(new ModerationLabel("Alcohol", "", 0, 88.5f));
        assertThat(read.moderationModelVersion()).isNull();
        assertThat(item).doesNotContainKey("moderationModelVersion");
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
    void labeledAndRejectedImagesAreInTheGalleryIndexAndTombstonesAreNot() {
        Map<String, AttributeValue> labeled = mapper.toItem(ImageMetadata.labeled(JPEG, List.of(), "3.0", new Moderation(List.of(), "7.0"), NOW));
        Map<String, AttributeValue> rejected = mapper.toItem(ImageMetadata.rejected(JPEG, "empty object", NOW));
        Map<String, AttributeValue> tombstone = mapper.toItem(ImageMetadata.deleted("a", "b", "images/a", null));

        for (Map<String, AttributeValue> listed : List.of(labeled, rejected)) {
            assertThat(listed.get(MetadataItemMapper.GALLERY).s()).isEqualTo("images");
            assertThat(listed.get(MetadataItemMapper.LISTED_AT).n()).isEqualTo(Long.toString(NOW.toEpochMilli()));
        }
        assertThat(tombstone).doesNotContainKeys(MetadataItemMapper.GALLERY, MetadataItemMapper.LISTED_AT);
        // a message's unknown fields never stand in for the index's attributes
        Map<String, AttributeValue> sneaky = mapper.itemOf(ImageMetadata.deleted("a", "b", "images/a", null),
                Map.of("gallery", AttributeValue.fromS("images"), "listedAt", AttributeValue.fromN("1")));
        assertThat(sneaky).doesNotContainKeys(MetadataItemMapper.GALLERY, MetadataItemMapper.LISTED_AT);
    }

    @Test
    void noItemIsNoMetadataAndA404ForTheApi() {
        assertThat(mapper.fromItem(null)).isNull();
        assertThat(mapper.fromItem(Map.of())).isNull();
        assertThatThrownBy(() -> mapper.existing(mapper.fromItem(Map.of()), "x.jpg", null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void keyIsTheImageId() {
        assertThat(mapper.key("a/b.jpg")).isEqualTo(Map.of("imageId", AttributeValue.fromS("a/b.jpg")));
    }

    /** An item the next release might write: a newer minor version with attributes this one does not know. */
    private Map<String, AttributeValue> newerMinorItem() {
        Map<String, AttributeValue> item = new java.util.HashMap<>(mapper.toItem(ImageMetadata.labeled(JPEG,
                List.of(new Label("Dog", 91.5f, List.of("Animal"))), "3.0", new Moderation(List.of(), "7.0"), NOW)));
        item.put("schemaMinor", AttributeValue.fromN("4"));
        item.put("dominantColors", AttributeValue.fromL(List.of(AttributeValue.fromS("#ff8800"))));
        item.put("labels", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                "name", AttributeValue.fromS("Dog"), "confidence", AttributeValue.fromN("91.5"),
                "parents", AttributeValue.fromL(List.of(AttributeValue.fromS("Animal"))),
                "boundingBoxes", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("left", AttributeValue.fromN("0.1"))))))))));
        return item;
    }

    @Test
    void theItemOfAStateKeepsTheUnknownFieldsOfANewerMinorsMessage() {
        ImageMetadata state = ImageMetadata.rejected(JPEG, "empty object", NOW);
        Map<String, AttributeValue> unknown = Map.of("dominantColors", AttributeValue.fromS("#ff8800"));

        Map<String, AttributeValue> item = mapper.itemOf(state, unknown);

        assertThat(item.get("dominantColors")).isEqualTo(AttributeValue.fromS("#ff8800"));
        assertThat(mapper.itemOf(state, null)).isEqualTo(mapper.toItem(state));
    }

    @Test
    void readsAnItemOfANewerMinorVersionWithTheFieldsItKnows() {
        ImageMetadata read = mapper.fromItem(newerMinorItem());

        assertThat(read.schemaVersion()).isEqualTo(1);
        assertThat(read.schemaMinor()).isEqualTo(4);
        assertThat(read.status()).isEqualTo(MetadataStatus.LABELED);
        assertThat(read.labels()).containsExactly(new Label("Dog", 91.5f, List.of("Animal")));
        assertThat(mapper.existing(read, "a/b c+ü.jpg", null)).isSameAs(read);
    }

    @Test
    void itemsWrittenBeforeMinorVersionsAreMinorZero() {
        Map<String, AttributeValue> item = new java.util.HashMap<>(mapper.toItem(ImageMetadata.rejected(JPEG, "empty object", NOW)));
        item.remove("schemaMinor");

        assertThat(mapper.fromItem(item).schemaMinor()).isZero();
    }

    @Test
    void anItemOfANewerMajorVersionIsNotReadAsIfItWereKnown() {
        Map<String, AttributeValue> item = newerMinorItem();
        item.put("schemaVersion", AttributeValue.fromN("2"));

        assertThatThrownBy(() -> mapper.fromItem(item)).isInstanceOf(UnsupportedSchemaVersionException.class)
                .hasMessage("metadata schemaVersion 2 is newer than this instance reads (1)");
        assertThatThrownBy(() -> mapper.existing(null, "a/b c+ü.jpg", "written by a newer release"))
                .as("the API answers 503: an instance of that release may answer")
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    }

    @Test
    void unknownFieldsOfAMessageArePutAsTheyAreButNeverOverAKnownOneOrTheTtl() {
        Map<String, AttributeValue> unknown = Map.of(
                "dominantColors", AttributeValue.fromL(List.of(AttributeValue.fromS("#ff8800"))),
                "status", AttributeValue.fromS("HACKED"),
                "expiresAt", AttributeValue.fromN("1"));

        Map<String, AttributeValue> item = mapper.itemOf(ImageMetadata.rejected(JPEG, "empty object", NOW), unknown);

        assertThat(item.get("dominantColors")).isEqualTo(unknown.get("dominantColors"));
        assertThat(item.get("status").s()).isEqualTo("REJECTED");
        assertThat(item).doesNotContainKey("expiresAt");
    }

    @Test
    void metadataRejectsNewerMajorVersionsAnyMinorIsFineAndIdentityIsRequired() {
        assertThatThrownBy(() -> new ImageMetadata(2, 0, "a", "b", "k", null, 0, null, MetadataStatus.LABELED, null,
                null, null, null, null, null, null, null)).isInstanceOf(UnsupportedSchemaVersionException.class)
                .hasMessageContaining("schemaVersion 2");
        assertThatThrownBy(() -> new ImageMetadata(0, 0, "a", "b", "k", null, 0, null, MetadataStatus.LABELED, null,
                null, null, null, null, null, null, null)).hasMessage("schemaVersion 0 is no version");
        assertThat(new ImageMetadata(1, 99, "a", "b", "k", null, 0, null, MetadataStatus.LABELED, null,
                null, null, null, null, null, null, null).schemaMinor()).isEqualTo(99);
        assertThatThrownBy(() -> new ImageMetadata(1, 0, null, "b", "k", null, 0, null, MetadataStatus.LABELED, null,
                null, null, null, null, null, null, null)).hasMessageContaining("imageId");
    }
}
