package digiads.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.TestImages;
import org.junit.jupiter.api.Test;

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
}
