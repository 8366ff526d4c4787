package digiads.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import digiads.events.MalformedMessageException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Metadata messages of the next release, read with a mapper that fails on unknown properties (Jackson's
 * default, not Spring Boot's): the tolerance is the metadata types' own.
 */
class MetadataMessagesTest {

    private final ObjectMapper strict = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final MetadataMessages messages = new MetadataMessages(strict);
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    static final String NEWER_MINOR = """
            {"schemaVersion":1,"schemaMinor":2,"imageId":"a.jpg","bucket":"digiads-images","key":"images/a.jpg",
             "eTag":"e1","size":2048,"contentType":"image/jpeg","status":"LABELED",
             "labels":[{"name":"Dog","confidence":80.5,"parents":["Animal"],"aliases":["Hound"]}],
             "labelModelVersion":"3.0","extractedAt":"2026-11-26T10:00:00Z","orderToken":"T0000001795000000000",
             "dominantColors":["#ff8800"],"faces":3}
            """;

    @Test
    void anExtractionSaysNothingIsStoredOnlyWhenItsReadFoundNothing() {
        assertThat(MetadataMessages.nothingStored(null)).isTrue();
        assertThat(MetadataMessages.nothingStored(ImageMetadata.deleted("a.jpg", "b", "images/a.jpg", "T1")))
                .as("a tombstone is a stored state").isFalse();
    }

    @Test
    void readsANewerMinorVersionAndKeepsItsUnknownTopLevelFields() {
        ImageMetadata read = messages.read(NEWER_MINOR, exchange);

        assertThat(read.schemaMinor()).isEqualTo(2);
        assertThat(read.labels()).containsExactly(new Label("Dog", 80.5f, List.of("Animal")));
        assertThat(exchange.getProperty(MetadataItemMapper.UNKNOWN_FIELDS, Map.class)).isEqualTo(Map.of(
                "dominantColors", AttributeValue.fromL(List.of(AttributeValue.fromS("#ff8800"))),
                "faces", AttributeValue.fromN("3")));
    }

    @Test
    void readsTheModerationOfThisMinorAndNoneFromAMessageOfTheMinorBefore() {
        String moderated = NEWER_MINOR.replace("\"schemaMinor\":2", "\"schemaMinor\":1").replace("\"faces\":3",
                "\"moderationLabels\":[{\"name\":\"Alcohol\",\"parentName\":\"\",\"taxonomyLevel\":1,\"confidence\":88.5}],"
                        + "\"moderationModelVersion\":\"7.0\"");
        String older = NEWER_MINOR.replace("\"schemaMinor\":2", "\"schemaMinor\":0");

        assertThat(messages.read(moderated, exchange).moderation())
                .isEqualTo(new Moderation(List.of(new ModerationLabel("Alcohol", "", 1, 88.5f)), "7.0"));
        assertThat(exchange.getProperty(MetadataItemMapper.UNKNOWN_FIELDS, Map.class))
                .as("moderation is known now, not kept as an unknown field").doesNotContainKeys("moderationLabels",
                        "moderationModelVersion");
        assertThat(messages.read(older, exchange).moderation()).as("not moderated").isNull();
    }

    @Test
    void theMessageCarriesTheModerationAsTopLevelFieldsAndNoVerdict() throws Exception {
        ObjectMapper spring = new ObjectMapper().registerModule(new JavaTimeModule())
                .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
        ProbedImage jpeg = new ProbedImage("a.jpg", "digiads-images", "images/a.jpg", false, "e1", 2048,
                ImageFormat.JPEG, null);
        ImageMetadata labeled = ImageMetadata.labeled(jpeg, List.of(), "3.0",
                new Moderation(List.of(new ModerationLabel("Alcohol", "", 1, 88.5f)), "7.0"), java.time.Instant.EPOCH);

        com.fasterxml.jackson.databind.JsonNode json = spring.valueToTree(labeled);

        assertThat(json.path("schemaMinor").asInt()).isEqualTo(ImageMetadata.SCHEMA_MINOR).isEqualTo(1);
        assertThat(json.path("moderationLabels").get(0).path("parentName").asText()).isEmpty();
        assertThat(json.path("moderationLabels").get(0).path("taxonomyLevel").asInt()).isEqualTo(1);
        assertThat(json.path("moderationModelVersion").asText()).isEqualTo("7.0");
        assertThat(json.has("moderation")).isFalse();
        assertThat(json.has("brandSafety")).as("the verdict is decided when read, never carried").isFalse();
        assertThat(messages.read(spring.writeValueAsString(labeled), exchange)).isEqualTo(labeled);
        assertThat(spring.valueToTree(ImageMetadata.labeled(jpeg, List.of(), "3.0", null, java.time.Instant.EPOCH))
                .has("moderationLabels")).as("not moderated: absent, not empty").isFalse();
    }

    @Test
    void refusesANewerMajorVersionAndWhatIsNoMetadata() {
        assertThatThrownBy(() -> messages.read(NEWER_MINOR.replace("\"schemaVersion\":1", "\"schemaVersion\":2"), exchange))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageStartingWith("metadata schemaVersion 2 is newer than this instance reads (1)");
        assertThatThrownBy(() -> messages.read(NEWER_MINOR.replace("\"schemaVersion\":1", "\"schemaVersion\":\"1\""), exchange))
                .isInstanceOf(MalformedMessageException.class).hasMessage("not a metadata message: no schemaVersion");
        assertThatThrownBy(() -> messages.read(NEWER_MINOR.replace("\"LABELED\"", "\"ARCHIVED\""), exchange))
                .as("a new status is a major change").isInstanceOf(MalformedMessageException.class)
                .hasMessageStartingWith("not a metadata message: ");
        assertThatThrownBy(() -> messages.read("[]", exchange))
                .isInstanceOf(MalformedMessageException.class).hasMessage("not a metadata message: not a JSON object");
    }

    @Test
    void aSchemaVersionBeyondAnIntIsNoVersion() {
        for (String notAnInt : new String[] {"10000000000", "1.5"}) {
            assertThatThrownBy(() -> messages.read(NEWER_MINOR.replace("\"schemaVersion\":1",
                    "\"schemaVersion\":" + notAnInt), exchange)).isInstanceOf(MalformedMessageException.class)
                    .hasMessage("not a metadata message: no schemaVersion");
        }
    }

    @Test
    void aMessageWithoutSchemaVersionIsNoMetadataMessage() {
        assertThatThrownBy(() -> messages.read(NEWER_MINOR.replace("\"schemaVersion\":1,", ""), exchange))
                .isInstanceOf(MalformedMessageException.class).hasMessage("not a metadata message: no schemaVersion");
    }
}
