package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.local.AwsResources;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The asynchronous path end to end on the AWS wire protocol: objects put straight into the emulated
 * bucket, S3 notifications on the events queue, Rekognition, the metadata queue, DynamoDB.
 */
class PipelineIntegrationTest extends MotoTestSupport {

    @Autowired
    CamelContext camel;

    @Autowired
    org.springframework.core.env.Environment environment;

    /**
     * Spring's threads are virtual, Camel's stay platform threads: had camel-spring-boot turned Camel's
     * pools virtual too, every SQS consumer would share one scheduler thread and a held message would
     * hold up the others (digiads.PlatformCamelThreads; ConsumerVisibilityIntegrationTest shows the wait).
     */
    @Test
    void theConsumersKeepPlatformThreadsWhileRequestsRunOnVirtualOnes() {
        assertThat(System.getProperty("camel.threads.virtual.enabled")).isEqualTo("false");
        assertThat(environment.getProperty("spring.threads.virtual.enabled")).isEqualTo("true");
        // the SQS consumers' threads are live platform threads (a virtual thread is not among these)
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().contains("aws2-sqs://"))
                .as("Camel's SQS consumer threads").isNotEmpty().noneMatch(Thread::isVirtual);
    }

    @Test
    void aPhotoPutIntoTheBucketIsLabeledWithWhatItShowsAndFoundByThatLabel() {
        byte[] photo = TestImages.photo("chelsea.jpg");
        String eTag = putObject("chelsea.jpg", photo, "image/jpeg");

        JsonNode metadata = awaitMetadata("chelsea.jpg");

        assertThat(metadata.path("status").asText()).isEqualTo("LABELED");
        assertThat(metadata.path("contentType").asText()).isEqualTo("image/jpeg");
        assertThat(metadata.path("bucket").asText()).isEqualTo(BUCKET);
        assertThat(metadata.path("key").asText()).isEqualTo("images/chelsea.jpg");
        assertThat(metadata.path("eTag").asText()).isEqualTo(eTag);
        assertThat(metadata.path("size").asLong()).isEqualTo(photo.length);
        assertThat(metadata.path("labels").findValuesAsText("name")).as("the model's labels").contains("Cat", "Animal");
        // the label index: a search by the model's label finds the photo (the index is written with the item)
        JsonNode cats = body(get("/api/images?label=Cat&limit=100"));
        assertThat(cats.path("images").findValuesAsText("imageId")).contains("chelsea.jpg");
        assertThat(metadata.path("labelModelVersion").asText()).isNotEmpty();
        assertThat(metadata.has("reason")).isFalse();
        List<Double> confidences = metadata.path("labels").findValues("confidence").stream().map(JsonNode::asDouble).toList();
        assertThat(confidences).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void aPngIsLabeled() {
        putObject("diagram.png", TestImages.png(), "image/png");

        JsonNode metadata = awaitMetadata("diagram.png");

        assertThat(metadata.path("status").asText()).isEqualTo("LABELED");
        assertThat(metadata.path("contentType").asText()).isEqualTo("image/png");
    }

    @Test
    void aTextFileIsRejectedWithTheReasonWhateverItsNameOrClaimedType() {
        putObject("notes.jpg", "these are not pixels".getBytes(StandardCharsets.UTF_8), "image/jpeg");

        JsonNode metadata = awaitMetadata("notes.jpg");

        assertThat(metadata.path("status").asText()).isEqualTo("REJECTED");
        assertThat(metadata.path("reason").asText()).startsWith("unsupported format");
        assertThat(metadata.path("labels")).isEmpty();
    }

    @Test
    void aGifAndAnEmptyObjectAreRejected() {
        putObject("anim.gif", TestImages.gif(), "image/gif");
        putObject("empty.jpg", new byte[0], "image/jpeg");

        assertThat(awaitMetadata("anim.gif").path("reason").asText()).contains("image/gif");
        assertThat(awaitMetadata("empty.jpg").path("reason").asText()).isEqualTo("empty object");
    }

    @Test
    void keysWithSpacesPlusUnicodeAndSlashesWork() {
        String imageId = "summer 2026/beach + sea/straße ☀.jpg";
        putObject(imageId, TestImages.jpeg(), "image/jpeg");

        JsonNode metadata = awaitMetadata(imageId);

        assertThat(metadata.path("imageId").asText()).isEqualTo(imageId);
        assertThat(metadata.path("key").asText()).isEqualTo(PREFIX + imageId);
        assertThat(metadata.path("status").asText()).isEqualTo("LABELED");
    }

    @Test
    void deletingTheObjectDeletesTheMetadataAndLeavesAnExpiringTombstone() {
        putObject("short-lived.jpg", TestImages.jpeg(), "image/jpeg");
        awaitMetadata("short-lived.jpg");

        s3.deleteObject(b -> b.bucket(BUCKET).key(PREFIX + "short-lived.jpg"));

        awaitNoMetadata("short-lived.jpg");
        Map<String, AttributeValue> tombstone = dynamo.getItem(b -> b.tableName(TABLE)
                .key(Map.of("imageId", AttributeValue.fromS("short-lived.jpg")))).item();
        assertThat(tombstone.get("status").s()).isEqualTo("DELETED");
        assertThat(tombstone).doesNotContainKey("eTag");
        assertThat(Long.parseLong(tombstone.get("expiresAt").n()))
                .as("outlives the queues' longest retention (infra/resources.json)")
                .isGreaterThan(java.time.Instant.now().plusSeconds(AwsResources.DEFINITION.longestRetentionSeconds())
                        .getEpochSecond());
        assertThat(get("/api/images/short-lived.jpg/digiads").statusCode()).isEqualTo(404);
    }

    @Test
    void aReUploadAfterADeleteCreatesFreshMetadata() {
        putObject("phoenix.jpg", TestImages.jpeg(), "image/jpeg");
        awaitMetadata("phoenix.jpg");
        s3.deleteObject(b -> b.bucket(BUCKET).key(PREFIX + "phoenix.jpg"));
        awaitNoMetadata("phoenix.jpg");

        putObject("phoenix.jpg", TestImages.png(), "image/png");

        assertThat(awaitMetadata("phoenix.jpg").path("contentType").asText()).isEqualTo("image/png");
    }

    @Test
    void theSameEventDeliveredTwiceGivesTheSameSingleItem() {
        String eTag = putObject("twice.jpg", TestImages.jpeg(), "image/jpeg");
        JsonNode first = awaitMetadata("twice.jpg");
        // the same (later) event, twice: it writes, and writing it again changes nothing but updatedAt
        String event = s3Event("ObjectCreated:Put", "twice.jpg", eTag, java.time.Instant.now().plusSeconds(1));

        NotifyBuilder twoMore = new NotifyBuilder(camel).fromRoute("add-metadata")
                .filter(e -> String.valueOf(e.getMessage().getBody()).contains("twice.jpg")).whenCompleted(2).create();
        sqs.sendMessage(b -> b.queueUrl(queues.eventsQueueUrl()).messageBody(event));
        sqs.sendMessage(b -> b.queueUrl(queues.eventsQueueUrl()).messageBody(event));
        assertThat(twoMore.matches(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        JsonNode again = awaitMetadata("twice.jpg");
        // equal extractedAt included: the same content was not sent to Rekognition again
        assertThat(withoutTimestamps(again)).isEqualTo(withoutTimestamps(first));
        assertThat(again.path("updatedAt").asText()).isNotEqualTo(first.path("updatedAt").asText());
        assertThat(dynamo.scan(b -> b.tableName(TABLE).filterExpression("imageId = :id")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS("twice.jpg")))).count()).isEqualTo(1);
    }

    @Test
    void anObjectDeletedBeforeItsEventIsProcessedLeavesNothingAndNoErrorLoop() {
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute("image-events").whenCompleted(1).create();

        sqs.sendMessage(b -> b.queueUrl(queues.eventsQueueUrl()).messageBody(
                s3Event("ObjectCreated:Put", "never-existed.jpg", "0", java.time.Instant.now())));

        assertThat(done.matches(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(metadata("never-existed.jpg").statusCode()).isEqualTo(404);
        awaitQueueEmpty(queues.eventsQueueUrl());
        assertThat(allMessages(queues.eventsDlqUrl())).noneMatch(m -> m.body().contains("never-existed.jpg"));
    }

    @Test
    void aMalformedMessageGoesToTheDeadLetterQueueWithItsReasonAndTheNextOneIsProcessed() {
        sqs.sendMessage(b -> b.queueUrl(queues.eventsQueueUrl()).messageBody("{\"hello\":\"not an s3 event\"}"));
        putObject("after-garbage.jpg", TestImages.jpeg(), "image/jpeg");

        assertThat(awaitMetadata("after-garbage.jpg").path("status").asText()).isEqualTo("LABELED");
        await().atMost(PIPELINE_TIMEOUT).untilAsserted(() -> assertThat(allMessages(queues.eventsDlqUrl()))
                .anySatisfy(m -> {
                    assertThat(m.body()).isEqualTo("{\"hello\":\"not an s3 event\"}");
                    assertThat(m.messageAttributes().get("DeadLetterReason"))
                            .extracting(MessageAttributeValue::stringValue)
                            .isEqualTo("not an S3 event notification: no Records array");
                }));
        // what is done is deleted, the dead-lettered message and the metadata message too (not left to come back)
        awaitPipelineIdle();
    }

    private static Map<String, Object> withoutTimestamps(JsonNode node) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(node, Map.class);
        map.remove("updatedAt");
        map.remove("orderToken");
        return map;
    }

}
