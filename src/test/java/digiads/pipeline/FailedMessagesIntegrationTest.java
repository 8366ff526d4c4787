package digiads.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import digiads.DigiadsProperties;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.local.RekognitionStandIn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * A message whose work failed comes back after its retry backoff (1 s, then 2 s in the tests), not
 * after the events queue's 90 s visibility timeout: on moto, with moderation failing (500) for the
 * image on every attempt, through the Rekognition stand-in. (After its fifth failed receive the
 * queue's redrive policy moves it to the DLQ, as for any failure.)
 */
class FailedMessagesIntegrationTest extends MotoTestSupport {

    @Autowired
    DigiadsProperties properties;
    @Value("${digiads.sqs.events-visibility-timeout-seconds}")
    int visibilityTimeoutSeconds;

    private int moderationRequests(String imageId) {
        return RekognitionStandIn.shared().findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(RekognitionStandIn.DETECT_MODERATION_LABELS))
                .withRequestBody(matchingJsonPath("$.Image.S3Object.Name", equalTo(PREFIX + imageId)))).size();
    }

    @Test
    void aMessageWhoseWorkFailedIsReceivedAgainWithinSecondsNotAfterItsVisibilityTimeout() {
        String imageId = "retry/moderation-error-" + UUID.randomUUID().toString().substring(0, 8) + ".jpg";
        int attempts = properties.rekognition().maxAttempts();
        putObject(imageId, TestImages.jpeg(), "image/jpeg");

        try {
            // every receive asks moderation maxAttempts times: three receives in a third of one visibility timeout
            await("received three times").atMost(Duration.ofSeconds(visibilityTimeoutSeconds / 3))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> moderationRequests(imageId) >= 3 * attempts);
            assertThat(metadata(imageId).statusCode()).isEqualTo(404);
        } finally {
            // the object gone, the next receive has nothing to label and acknowledges the message: none is
            // left going round for the other tests that wait for an empty events queue
            s3.deleteObject(b -> b.bucket(BUCKET).key(PREFIX + imageId));
            awaitPipelineIdle();
        }
    }
}
