package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.metadata.ImageFormat;
import digiads.metadata.ImageMetadata;
import digiads.metadata.Label;
import digiads.metadata.OrderTokens;
import digiads.metadata.ProbedImage;
import org.junit.jupiter.api.Test;

/**
 * S3 notifications and standard SQS are at-least-once and unordered: whatever order a
 * create/delete/create history of one key arrives in, the metadata ends up matching the bucket.
 * The events are crafted (later than the emulator's own, so they decide) and delivered scrambled.
 */
class OrderingIntegrationTest extends MotoTestSupport {

    private final Instant later = Instant.now().plusSeconds(3600);

    private String created(String imageId, String eTag, int millis) {
        return s3Event("ObjectCreated:Put", imageId, eTag, later.plusMillis(millis));
    }

    private String removed(String imageId, int millis) {
        return s3Event("ObjectRemoved:Delete", imageId, "", later.plusMillis(millis));
    }

    @Test
    void createDeleteCreateInAnyOrderEndsWithTheMetadataOfTheObjectThatExists() {
        List<List<Integer>> orders = List.of(List.of(1, 0, 2), List.of(2, 1, 0), List.of(0, 2, 1), List.of(1, 2, 0));
        for (int o = 0; o < orders.size(); o++) {
            String imageId = "reorder/exists-" + o + ".jpg";
            String eTag = putObject(imageId, TestImages.jpeg(), "image/jpeg");
            List<String> history = List.of(created(imageId, eTag, 0), removed(imageId, 1), created(imageId, eTag, 2));

            orders.get(o).forEach(i -> sendEvent(history.get(i)));
        }
        awaitPipelineIdle();

        for (int o = 0; o < orders.size(); o++) {
            JsonNode metadata = awaitMetadata("reorder/exists-" + o + ".jpg");
            assertThat(metadata.path("status").asText()).as("order " + orders.get(o)).isEqualTo("LABELED");
        }
    }

    @Test
    void createThenDeleteInAnyOrderEndsWithNoMetadataWhenTheObjectIsGone() {
        for (int o = 0; o < 2; o++) {
            String imageId = "reorder/gone-" + o + ".jpg";
            String eTag = putObject(imageId, TestImages.jpeg(), "image/jpeg");
            awaitMetadata(imageId);
            s3.deleteObject(b -> b.bucket(BUCKET).key(PREFIX + imageId));
            List<String> history = List.of(created(imageId, eTag, 0), removed(imageId, 1));

            sendEvent(history.get(o == 0 ? 1 : 0));
            sendEvent(history.get(o == 0 ? 0 : 1));
        }
        awaitPipelineIdle();

        for (int o = 0; o < 2; o++) {
            assertThat(metadata("reorder/gone-" + o + ".jpg").statusCode()).as("order " + o).isEqualTo(404);
        }
    }

    @Test
    void anOlderStateNeverOverwritesANewerOne() {
        String imageId = "reorder/states.jpg";
        ProbedImage image = new ProbedImage(imageId, BUCKET, PREFIX + imageId, false, "e2", 100, ImageFormat.JPEG,
                OrderTokens.of("0000000000000000000000000000000B", null));
        ImageMetadata newer = ImageMetadata.labeled(image, List.of(new Label("Newer", 90, List.of())), "3.0", new digiads.metadata.Moderation(List.of(), "7.0"), Instant.now());
        ImageMetadata older = ImageMetadata.rejected(new ProbedImage(imageId, BUCKET, PREFIX + imageId, false, "e1", 0,
                ImageFormat.UNKNOWN, OrderTokens.of("0000000000000000000000000000000A", null)), "empty object", Instant.now());

        // one after the other, as a late delivery comes: moto runs two transactions on one item at the same
        // time without isolating them (DynamoDB would cancel one), so messages in flight together could
        // both pass their conditions there
        sendMetadata(newer);
        awaitPipelineIdle();
        sendMetadata(older);
        awaitPipelineIdle();

        JsonNode stored = awaitMetadata(imageId);
        assertThat(stored.path("status").asText()).isEqualTo("LABELED");
        assertThat(stored.path("labels").get(0).path("name").asText()).isEqualTo("Newer");

        // a tombstone of a later removal wins, and a late older create cannot resurrect the metadata
        ImageMetadata tombstone = ImageMetadata.deleted(imageId, BUCKET, PREFIX + imageId,
                OrderTokens.of("0000000000000000000000000000000C", null));
        sendMetadata(tombstone);
        awaitPipelineIdle();
        assertThat(metadata(imageId).statusCode()).isEqualTo(404);
        sendMetadata(newer);
        awaitPipelineIdle();
        assertThat(metadata(imageId).statusCode()).isEqualTo(404);
    }

    @Test
    void anOlderStateArrivingAfterTheNewerOneIsStoredChangesNothingWhileTheObjectExists() {
        String imageId = "reorder/late-older-state.jpg";
        String eTag = putObject(imageId, TestImages.jpeg(), "image/jpeg");
        assertThat(awaitMetadata(imageId).path("eTag").asText()).isEqualTo(eTag);
        String stored = storedOrderToken(imageId);

        // the metadata of an earlier (empty) upload of the same key, held up in the queue, arrives now
        sendMetadata(ImageMetadata.rejected(new ProbedImage(imageId, BUCKET, PREFIX + imageId, false, "e-earlier", 0,
                ImageFormat.UNKNOWN, justBefore(stored)), "empty object", Instant.now()));
        awaitPipelineIdle();

        JsonNode metadata = awaitMetadata(imageId);
        assertThat(metadata.path("status").asText()).isEqualTo("LABELED");
        assertThat(metadata.path("eTag").asText()).isEqualTo(eTag);
        assertThat(storedOrderToken(imageId)).isEqualTo(stored);
    }
}
