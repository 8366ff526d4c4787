package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.metadata.ImageFormat;
import digiads.metadata.ImageMetadata;
import digiads.metadata.Label;
import digiads.metadata.MetadataItemMapper;
import digiads.metadata.OrderTokens;
import digiads.metadata.ProbedImage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A rolling upgrade seen from the older instance: metadata messages and items the next release
 * writes (a newer minor version, fields this one does not know) are stored and read, never
 * dead-lettered or answered with a 5xx; a newer major version, which the next release may not write
 * (README: Delivery semantics), is dead-lettered with the reason, and its item answered 503.
 */
class RollingUpgradeIntegrationTest extends MotoTestSupport {

    @Autowired
    MetadataItemMapper items;

    /** A metadata message as the next release might post it. */
    private static String newerMessage(String imageId, int major, int minor) {
        return """
                {"schemaVersion":%d,"schemaMinor":%d,"imageId":"%s","bucket":"digiads-images","key":"images/%s",
                 "eTag":"e1","size":2048,"contentType":"image/jpeg","status":"LABELED",
                 "labels":[{"name":"Dog","confidence":80.5,"parents":["Animal"],"boundingBoxes":[{"left":0.1,"top":0.2}]},
                           {"name":"Beach","confidence":99.0,"parents":[],"aliases":["Shore"]}],
                 "labelModelVersion":"3.0","extractedAt":"2026-11-26T10:00:00Z","orderToken":"%s",
                 "dominantColors":["#ff8800","#003366"],"moderation":{"safe":true,"score":0.5}}
                """.formatted(major, minor, imageId, imageId, OrderTokens.of(null, Instant.now()));
    }

    @Test
    void aMessageOfANewerMinorVersionIsStoredAndServedWithTheFieldsItKnows() {
        String imageId = "upgrade/minor message.jpg";

        sqs.sendMessage(b -> b.queueUrl(queues.metadataQueueUrl()).messageBody(newerMessage(imageId, 1, 3)));

        JsonNode metadata = awaitMetadata(imageId);
        assertThat(metadata.path("status").asText()).isEqualTo("LABELED");
        assertThat(metadata.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(metadata.path("schemaMinor").asInt()).isEqualTo(3);
        assertThat(metadata.path("labels").findValuesAsText("name")).containsExactly("Beach", "Dog");
        assertThat(metadata.has("dominantColors")).as("the API answers with the fields it knows").isFalse();
        assertThat(item(imageId)).as("the item keeps what the next release wrote")
                .containsKeys("dominantColors", "moderation");
        assertThat(get("/api/images/" + segment(imageId) + "/digiads").statusCode()).isEqualTo(200);
    }

    @Test
    void anItemOfANewerMinorVersionIsReadWithTheFieldsItKnows() {
        String imageId = "upgrade/minor item.jpg";
        Map<String, AttributeValue> item = labeledItem(imageId);
        item.put("schemaMinor", AttributeValue.fromN("5"));
        item.put("dominantColors", AttributeValue.fromL(List.of(AttributeValue.fromS("#ff8800"))));
        item.put("labels", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                "name", AttributeValue.fromS("Cat"), "confidence", AttributeValue.fromN("97.25"),
                "parents", AttributeValue.fromL(List.of(AttributeValue.fromS("Animal"))),
                "boundingBoxes", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("left", AttributeValue.fromN("0.1"))))))))));
        dynamo.putItem(b -> b.tableName(TABLE).item(item));

        HttpResponse<String> response = metadata(imageId);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode metadata = body(response);
        assertThat(metadata.path("schemaMinor").asInt()).isEqualTo(5);
        assertThat(metadata.path("labels").get(0).path("name").asText()).isEqualTo("Cat");
        assertThat(metadata.path("labels").get(0).path("confidence").asDouble()).isEqualTo(97.25);
        assertThat(metadata.path("labels").get(0).has("boundingBoxes")).isFalse();
        assertThat(get("/api/images/" + segment(imageId) + "/digiads").statusCode()).isEqualTo(200);
    }

    @Test
    void aMessageOfANewerMajorVersionIsDeadLetteredWithItsReason() {
        String imageId = "upgrade/major message.jpg";
        String message = newerMessage(imageId, 2, 0);

        sqs.sendMessage(b -> b.queueUrl(queues.metadataQueueUrl()).messageBody(message));

        await().atMost(PIPELINE_TIMEOUT).untilAsserted(() -> assertThat(allMessages(queues.metadataDlqUrl()))
                .anySatisfy(m -> {
                    assertThat(m.body()).isEqualTo(message);
                    assertThat(m.messageAttributes().get("DeadLetterReason").stringValue()).isEqualTo(
                            "metadata schemaVersion 2 is newer than this instance reads (1): written by a newer "
                                    + "release; redrive it once instances of that release consume the queue");
                }));
        assertThat(metadata(imageId).statusCode()).isEqualTo(404);
    }

    @Test
    void anItemOfANewerMajorVersionIsA503AndThePipelineStillLabelsTheImage() {
        String imageId = "upgrade/major item.jpg";
        Map<String, AttributeValue> item = labeledItem(imageId);
        item.put("schemaVersion", AttributeValue.fromN("2"));
        item.remove("status");
        item.put("state", AttributeValue.fromM(Map.of("name", AttributeValue.fromS("LABELED"))));
        dynamo.putItem(b -> b.tableName(TABLE).item(item));

        HttpResponse<String> read = metadata(imageId);
        HttpResponse<String> ads = get("/api/images/" + segment(imageId) + "/digiads");

        assertThat(read.statusCode()).isEqualTo(503);
        assertThat(body(read).path("error").asText()).isEqualTo("service_unavailable");
        assertThat(body(read).path("message").asText()).contains("written by a newer release");
        assertThat(ads.statusCode()).isEqualTo(503);

        // an upload after it is the newer state: labeled afresh, stored in this instance's version
        putObject(imageId, TestImages.jpeg(), "image/jpeg");
        JsonNode metadata = awaitMetadata(imageId);
        assertThat(metadata.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(metadata.path("status").asText()).isEqualTo("LABELED");
    }

    /** The item of an image labeled an hour ago (its object is not in the bucket). */
    private Map<String, AttributeValue> labeledItem(String imageId) {
        Instant when = Instant.now().minusSeconds(3600);
        ProbedImage image = new ProbedImage(imageId, BUCKET, PREFIX + imageId, false, "e1", 1024, ImageFormat.JPEG,
                OrderTokens.of(null, when));
        return new HashMap<>(items.toItem(ImageMetadata.labeled(image, List.of(new Label("Cat", 97.25f,
                List.of("Animal"))), "3.0", new digiads.metadata.Moderation(List.of(), "7.0"), when)));
    }

    private Map<String, AttributeValue> item(String imageId) {
        return dynamo.getItem(b -> b.tableName(TABLE).key(items.key(imageId)).consistentRead(true)).item();
    }
}
