package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;

import digiads.MotoTestSupport;
import digiads.TestImages;
import org.junit.jupiter.api.Test;

/**
 * The rest of the bad-input matrix on the wire (the README's Guarantees section lists every row
 * and the test that proves it): each input has its expected outcome, and nothing is lost or stuck.
 */
class BadInputIntegrationTest extends MotoTestSupport {

    @Test
    void aJpegOver15MbIsRejectedAsTooLargeWithoutARekognitionCall() {
        byte[] big = Arrays.copyOf(TestImages.jpeg(), 16 * 1024 * 1024);

        putObject("huge.jpg", big, "image/jpeg");

        assertThat(awaitMetadata("huge.jpg").path("reason").asText())
                .isEqualTo("image too large: 16777216 bytes, Rekognition accepts at most 15728640");
    }

    @Test
    void aTruncatedJpegIsSentToRekognitionWhichDecides() {
        // Its first bytes are a JPEG's, so it is Rekognition's to judge: real Rekognition answers
        // InvalidImageFormatException and it is REJECTED (RekognitionCallsTest); the emulator labels anything.
        byte[] truncated = Arrays.copyOf(TestImages.jpeg(), 100);

        putObject("truncated.jpg", truncated, "image/jpeg");

        assertThat(awaitMetadata("truncated.jpg").path("contentType").asText()).isEqualTo("image/jpeg");
    }

    @Test
    void keysWithEveryKindOfCharacterRoundTrip() {
        String imageId = "odd/100% real + fake/ümlaut & space (1).jpg";

        putObject(imageId, TestImages.jpeg(), "image/jpeg");

        assertThat(awaitMetadata(imageId).path("imageId").asText()).isEqualTo(imageId);
        assertThat(get("/api/images/" + segment(imageId) + "/digiads").statusCode()).isEqualTo(200);
    }

    @Test
    void anEventForAnotherBucketIsAcknowledgedAndChangesNothing() {
        String foreign = s3Event("ObjectCreated:Put", "foreign.jpg", "e", Instant.now()).replace(BUCKET, "someone-else");

        sendEvent(foreign);
        awaitPipelineIdle();

        assertThat(metadata("foreign.jpg").statusCode()).isEqualTo(404);
    }

    @Test
    void everyRecordOfAThreeRecordEventIsProcessed() {
        String[] ids = {"three/a.jpg", "three/b.png", "three/c.txt"};
        putObject(ids[0], TestImages.jpeg(), "image/jpeg");
        putObject(ids[1], TestImages.png(), "image/png");
        putObject(ids[2], "text".getBytes(), "text/plain");
        awaitMetadata(ids[2]);
        s3.deleteObject(b -> b.bucket(BUCKET).key(PREFIX + ids[2]));
        awaitNoMetadata(ids[2]);
        Instant later = Instant.now().plusSeconds(10);
        String records = String.join(",", record("ObjectCreated:Put", ids[0], later),
                record("ObjectCreated:Copy", ids[1], later), record("ObjectRemoved:Delete", ids[2], later));

        sendEvent("{\"Records\":[" + records + "]}");
        awaitPipelineIdle();

        assertThat(awaitMetadata(ids[0]).path("status").asText()).isEqualTo("LABELED");
        assertThat(awaitMetadata(ids[1]).path("contentType").asText()).isEqualTo("image/png");
        assertThat(metadata(ids[2]).statusCode()).isEqualTo(404);
    }

    @Test
    void theS3TestEventIsAcknowledged() {
        sendEvent("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-26T21:55:28.062Z\","
                + "\"Bucket\":\"digiads-images\",\"RequestId\":\"R\",\"HostId\":\"H\"}");

        awaitPipelineIdle();
        assertThat(allMessages(queues.eventsDlqUrl())).noneMatch(m -> m.body().contains("s3:TestEvent"));
    }

    private static String record(String eventName, String imageId, Instant time) {
        String event = s3Event(eventName, imageId, "e", time);
        return event.substring(event.indexOf('[') + 1, event.lastIndexOf(']'));
    }
}
