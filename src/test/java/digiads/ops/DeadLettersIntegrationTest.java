package digiads.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.metadata.ImageFormat;
import digiads.metadata.ImageMetadata;
import digiads.metadata.OrderTokens;
import digiads.metadata.ProbedImage;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Operators list the dead-letter queues with the reasons and redrive them once the cause is fixed. */
class DeadLettersIntegrationTest extends MotoTestSupport {

    private HttpResponse<String> redrive(String queue, boolean authenticated) {
        HttpRequest.Builder request = HttpRequest.newBuilder(managementUri("/actuator/deadletters/" + queue))
                .POST(HttpRequest.BodyPublishers.noBody());
        return send(authenticated ? asOperator(request) : request);
    }

    @Test
    void listsPoisonMessagesWithReasonsAndRedrivesThem() {
        // an S3 event the app cannot take yet: written as a message the events route rejects
        sqs.sendMessage(b -> b.queueUrl(queues.eventsQueueUrl()).messageBody("{\"poison\":true}"));
        await().atMost(PIPELINE_TIMEOUT).until(() -> body(getAsOperator("/actuator/deadletters")).toString()
                .contains("poison"));

        JsonNode listing = body(getAsOperator("/actuator/deadletters"));
        JsonNode events = listing.get(0);
        assertThat(events.path("queue").asText()).isEqualTo("digiads-s3-events-dlq");
        assertThat(events.path("redrivesTo").asText()).isEqualTo("digiads-s3-events");
        JsonNode letter = events.path("messages").findParents("body").stream()
                .filter(m -> m.path("body").asText().contains("poison")).findFirst().orElseThrow();
        assertThat(letter.path("reason").asText()).isEqualTo("not an S3 event notification: no Records array");
        assertThat(management("/actuator/deadletters").statusCode()).as("operators only").isIn(401, 302);
        assertThat(redrive("digiads-s3-events-dlq", false).statusCode()).isIn(401, 302);

        // the operator redrives a valid event that had ended up in the DLQ
        String eTag = putObject("redriven.jpg", TestImages.jpeg(), "image/jpeg");
        awaitMetadata("redriven.jpg");
        s3.deleteObject(b -> b.bucket(BUCKET).key(PREFIX + "redriven.jpg"));
        awaitNoMetadata("redriven.jpg");
        putObject("redriven.jpg", TestImages.png(), "image/png");
        awaitMetadata("redriven.jpg");
        sqs.sendMessage(b -> b.queueUrl(queues.eventsDlqUrl()).messageBody(
                s3Event("ObjectCreated:Put", "redriven.jpg", eTag, java.time.Instant.now().plusSeconds(60))));

        HttpResponse<String> redriven = redrive("digiads-s3-events-dlq", true);

        assertThat(redriven.statusCode()).as(redriven.body()).isEqualTo(200);
        assertThat(body(redriven).path("moved").asInt()).isGreaterThanOrEqualTo(2);
        awaitPipelineIdle();
        await().atMost(PIPELINE_TIMEOUT).until(() -> body(getAsOperator("/actuator/deadletters")).get(0)
                .path("messages").findValues("body").stream().noneMatch(b -> b.asText().contains("redriven.jpg")));
        assertThat(redrive("no-such-dlq", true).statusCode()).isEqualTo(400);
    }

    @Test
    void aRedriveMovesEachMessageOnceAndTheOnesThatFailAgainWaitForTheNext() {
        String dlq = queues.metadataDlqUrl();
        empty(dlq);
        int good = 5;
        int bad = 3;
        for (int i = 0; i < good; i++) {
            String body = metadataMessage("redrive/good-" + i + ".jpg");
            sqs.sendMessage(b -> b.queueUrl(dlq).messageBody(body));
        }
        for (int i = 0; i < bad; i++) {
            String body = "still not metadata #" + i;
            sqs.sendMessage(b -> b.queueUrl(dlq).messageBody(body));
        }

        JsonNode first = body(redrive("digiads-metadata-dlq", true));

        assertThat(first.path("moved").asInt()).as(first.toString()).isEqualTo(good + bad);
        assertThat(first.path("failedAgain").asInt()).as(first.toString()).isBetween(0, bad);
        for (int i = 0; i < good; i++) {
            awaitMetadata("redrive/good-" + i + ".jpg");
        }
        awaitMessagesIn(dlq, bad); // the bad ones failed again, once each, and are back

        JsonNode second = body(redrive("digiads-metadata-dlq", true));

        assertThat(second.path("moved").asInt()).as(second.toString()).isEqualTo(bad);
        awaitMessagesIn(dlq, bad);
        assertThat(body(getAsOperator("/actuator/deadletters")).get(1).path("messages").findValues("body"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("still not metadata #0", "still not metadata #1", "still not metadata #2");
    }

    @Test
    void aRedriveTakesTheQueueForDrainedOnlyAfterSeveralReceivesFindNothing() {
        String dlq = queues.metadataDlqUrl();
        empty(dlq);
        for (int i = 0; i < 3; i++) {
            String body = metadataMessage("redrive/hidden-" + i + ".jpg");
            sqs.sendMessage(b -> b.queueUrl(dlq).messageBody(body));
        }
        // someone else holds them for 2 s: the first receives of the redrive find the queue empty,
        // as a receive can on real SQS while messages wait
        java.util.Set<String> held = new java.util.HashSet<>();
        await().atMost(PIPELINE_TIMEOUT).until(() -> {
            sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(2)).messages()
                    .forEach(m -> held.add(m.messageId()));
            return held.size() == 3;
        });

        JsonNode redriven = body(redrive("digiads-metadata-dlq", true));

        assertThat(redriven.path("moved").asInt()).as(redriven.toString()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            awaitMetadata("redrive/hidden-" + i + ".jpg");
        }
    }

    private String metadataMessage(String imageId) {
        try {
            return json.writeValueAsString(ImageMetadata.rejected(new ProbedImage(imageId, BUCKET, PREFIX + imageId,
                    false, "e1", 0, ImageFormat.UNKNOWN, OrderTokens.of(null, Instant.now())), "empty object",
                    Instant.now()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes whatever is in the queue (SQS allows one purge a minute). */
    private void empty(String queueUrl) {
        await().atMost(PIPELINE_TIMEOUT).until(() -> {
            sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages()
                    .forEach(m -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
            return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes().values().stream()
                    .allMatch("0"::equals);
        });
    }

    /** Waits until exactly this many messages are in the queue, all visible. */
    private void awaitMessagesIn(String queueUrl, int count) {
        await().atMost(PIPELINE_TIMEOUT).pollInterval(java.time.Duration.ofMillis(250)).until(() -> {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            return attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).equals(Integer.toString(count))
                    && attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE).equals("0");
        });
    }
}
