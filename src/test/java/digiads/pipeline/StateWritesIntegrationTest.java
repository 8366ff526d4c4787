package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.local.MotoServer;
import digiads.metadata.ImageFormat;
import digiads.metadata.ImageMetadata;
import digiads.metadata.ProbedImage;
import org.junit.jupiter.api.Test;

/**
 * Storing an image's state is one DynamoDB request: one conditional PutItem, whether the image has
 * no item yet, has one (metadata or tombstone), or has a newer one that refuses the write. Counted on
 * the wire, by moto's own request recorder, with the whole application running.
 */
class StateWritesIntegrationTest extends MotoTestSupport {

    private static final String PUT_ITEM = "DynamoDB_20120810.PutItem";

    @Test
    void everyStateOfAnImageIsStoredWithOnePutItem() throws Exception {
        String imageId = "writes/one-put-per-state.jpg";
        MotoServer moto = MotoServer.shared();
        String eTag;
        moto.startRecording();
        try {
            putObject(imageId, TestImages.jpeg(), "image/jpeg");        // 1. metadata, no item yet
            awaitMetadata(imageId);
            s3.deleteObject(b -> b.bucket(BUCKET).key(PREFIX + imageId));  // 2. a tombstone over the metadata
            awaitNoMetadata(imageId);
            eTag = putObject(imageId, TestImages.png(), "image/png");   // 3. metadata over the tombstone
            awaitMetadataOfContent(imageId, eTag);
            sendMetadata(ImageMetadata.rejected(new ProbedImage(imageId, BUCKET, PREFIX + imageId, false, "e-older", 0,
                    ImageFormat.UNKNOWN, justBefore(storedOrderToken(imageId))), "empty object", Instant.now()));
            awaitPipelineIdle();                                          // 4. an older state, refused
        } finally {
            moto.stopRecording();
        }

        List<JsonNode> puts = putItemsOf(imageId, moto.recording());

        assertThat(puts).extracting(put -> put.path("Item").path("status").path("S").asText())
                .as("one PutItem for each of the 4 states").containsExactly("LABELED", "DELETED", "LABELED", "REJECTED");
        assertThat(puts).allSatisfy(put -> {
            assertThat(put.path("ConditionExpression").asText())
                    .isEqualTo("attribute_not_exists(#imageId) OR #orderToken <= :orderToken");
            assertThat(put.has("Expected")).isFalse();
        });
        JsonNode stored = awaitMetadata(imageId);
        assertThat(stored.path("eTag").asText()).as("the refused older state changed nothing").isEqualTo(eTag);
        assertThat(stored.path("status").asText()).isEqualTo("LABELED");
    }

    private void awaitMetadataOfContent(String imageId, String eTag) {
        org.awaitility.Awaitility.await("metadata of the re-upload").atMost(PIPELINE_TIMEOUT)
                .until(() -> eTag.equals(awaitMetadata(imageId).path("eTag").asText()));
    }

    /** The PutItem requests moto recorded for this image. */
    private List<JsonNode> putItemsOf(String imageId, String recording) throws Exception {
        List<JsonNode> puts = new ArrayList<>();
        for (String line : recording.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode request = json.readTree(line);
            boolean putItem = false;
            for (var header : (Iterable<java.util.Map.Entry<String, JsonNode>>) request.path("headers")::fields) {
                putItem |= header.getKey().equalsIgnoreCase("X-Amz-Target") && PUT_ITEM.equals(header.getValue().asText());
            }
            if (!putItem) {
                continue;
            }
            String body = request.path("body_encoded").asBoolean()
                    ? new String(Base64.getDecoder().decode(request.path("body").asText()), StandardCharsets.UTF_8)
                    : request.path("body").asText();
            JsonNode put = json.readTree(body);
            if (imageId.equals(put.path("Item").path("imageId").path("S").asText())) {
                puts.add(put);
            }
        }
        return puts;
    }
}
