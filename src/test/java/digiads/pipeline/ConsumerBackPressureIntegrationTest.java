package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.aws.HeldMessages;
import digiads.aws.QueueUrls;
import digiads.local.RekognitionStandIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * The events consumers take a message only when one of them is free: a burst of images while Rekognition
 * is slow leaves the rest on the queue, visible to every instance, not received by this one and waiting
 * in its memory (and held at a shutdown). What this instance holds is what its SQS client received and
 * did not yet delete ({@link HeldMessages}): the messages in work, and those done whose delete is on its way.
 */
class ConsumerBackPressureIntegrationTest extends MotoTestSupport {

    private static final int IMAGES = 40;

    @Autowired
    HeldMessages held;

    @Autowired
    QueueUrls queueUrls;

    @Value("${digiads.sqs.events-consumers}")
    int consumers;

    private StubMapping slowLabels;

    @AfterEach
    void fastAgain() {
        if (slowLabels != null) {
            RekognitionStandIn.shared().removeStub(slowLabels);
        }
    }

    @Test
    void aBurstWhileRekognitionIsSlowIsReceivedNoFasterThanTheConsumersWork() {
        String prefix = "backpressure-" + UUID.randomUUID() + "/";
        slowLabels = RekognitionStandIn.shared().stubFor(WireMock.post(WireMock.urlEqualTo("/")).atPriority(0)
                .withHeader("X-Amz-Target", WireMock.equalTo(RekognitionStandIn.DETECT_LABELS))
                .withRequestBody(WireMock.matchingJsonPath("$.Image.S3Object.Name", WireMock.containing(prefix)))
                .willReturn(WireMock.aResponse().withFixedDelay(500).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"Labels\":[{\"Name\":\"Colour\",\"Confidence\":90.0,\"Parents\":[]}],"
                                + "\"LabelModelVersion\":\"3.0\"}")));
        List<String> images = IntStream.range(0, IMAGES).mapToObj(i -> prefix + i + ".jpg").toList();
        // every image of content of its own: none reuses another's labels
        IntStream.range(0, IMAGES).parallel().forEach(i ->
                putObject(images.get(i), TestImages.uniform(16, 16, 0x102030 + 0x010101 * i, "jpg"), "image/jpeg"));

        AtomicInteger mostHeld = new AtomicInteger();
        await("every image labeled").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
            mostHeld.accumulateAndGet(held.size(queueUrls.events()), Math::max);
            return images.stream().allMatch(id -> metadata(id).statusCode() == 200);
        });

        // in work at most one a consumer; as many again done and waiting for their delete at most
        assertThat(mostHeld.get()).as("events messages held at once, of %d images", IMAGES)
                .isPositive().isLessThanOrEqualTo(2 * consumers);
    }
}
