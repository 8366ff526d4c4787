package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.local.MotoServer;
import digiads.metadata.ImageFormat;
import digiads.metadata.ImageMetadata;
import digiads.metadata.ProbedImage;
import digiads.metadata.MetadataMessages;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Storing an image's state is one DynamoDB write: one TransactWriteItems of the item and its label
 * index, whether the image has no item yet or has one (metadata or tombstone); an older state than the
 * stored one writes nothing (the read before the transaction shows it). No PutItem outside a
 * transaction. Counted on the wire, by moto's own request recorder, with the whole application running.
 */
class StateWritesIntegrationTest extends MotoTestSupport {

    private static final String PUT_ITEM = "DynamoDB_20120810.PutItem";
    private static final String GET_ITEM = "DynamoDB_20120810.GetItem";
    private static final String TRANSACT = "DynamoDB_20120810.TransactWriteItems";

    @Test
    void everyStateOfAnImageIsStoredWithOneTransactionOfItsItemAndIndex() throws Exception {
        String imageId = "writes/one-transaction-per-state.jpg";
        MotoServer moto = MotoServer.shared();
        String eTag;
        moto.startRecording();
        try {
            putObject(imageId, TestImages.photo("chelsea.jpg"), "image/jpeg");        // 1. metadata, no item yet
            awaitMetadata(imageId);
            s3.deleteObject(b -> b.bucket(BUCKET).key(PREFIX + imageId));  // 2. a tombstone over the metadata
            awaitNoMetadata(imageId);
            eTag = putObject(imageId, TestImages.photo("chelsea.png"), "image/png");   // 3. metadata over the tombstone
            awaitMetadataOfContent(imageId, eTag);
            sendMetadata(ImageMetadata.rejected(new ProbedImage(imageId, BUCKET, PREFIX + imageId, false, "e-older", 0,
                    ImageFormat.UNKNOWN, justBefore(storedOrderToken(imageId))), "empty object", Instant.now()));
            awaitPipelineIdle();                                          // 4. an older state, refused
        } finally {
            moto.stopRecording();
        }

        List<JsonNode> transactions = requestsOf(imageId, TRANSACT, moto.recording());
        assertThat(requestsOf(imageId, PUT_ITEM, moto.recording())).as("no PutItem outside a transaction").isEmpty();

        assertThat(transactions).extracting(t -> metadataPut(t).path("Item").path("status").path("S").asText())
                .as("one transaction for each of the 3 newer states, none for the older one")
                .containsExactly("LABELED", "DELETED", "LABELED");
        assertThat(transactions).allSatisfy(t -> {
            assertThat(metadataPut(t).path("ConditionExpression").asText())
                    .startsWith("(attribute_not_exists(#imageId) OR #orderToken <= :orderToken) AND ");
            assertThat(metadataPut(t).has("Expected")).isFalse();
        });
        assertThat(metadataPut(transactions.get(0)).path("ConditionExpression").asText())
                .as("the first state: still no item").endsWith("AND attribute_not_exists(#imageId)");
        assertThat(metadataPut(transactions.get(1)).path("ConditionExpression").asText())
                .as("later states: the item read").endsWith("AND #orderToken = :readOrderToken AND #updatedAt = :readUpdatedAt");
        assertThat(actions(transactions.get(0), "Put")).as("the labeled image's index items").isPositive();
        assertThat(actions(transactions.get(1), "Delete")).as("the tombstone deletes them")
                .isEqualTo(actions(transactions.get(0), "Put"));
        JsonNode stored = awaitMetadata(imageId);
        assertThat(stored.path("eTag").asText()).as("the refused older state changed nothing").isEqualTo(eTag);
        assertThat(stored.path("status").asText()).isEqualTo("LABELED");
    }

    @Test
    void aNewImageIsReadOnceBeforeLabelingAndWrittenWithoutAnotherRead() throws Exception {
        String imageId = "writes/new-image-one-read.jpg";
        String reUpload = "writes/re-upload-read-again.jpg";
        putObject(reUpload, TestImages.photo("chelsea.jpg"), "image/jpeg");
        awaitMetadata(reUpload);
        awaitPipelineIdle();

        MotoServer moto = MotoServer.shared();
        moto.startRecording();
        try {
            putObject(imageId, TestImages.photo("chelsea.jpg"), "image/jpeg");
            putObject(reUpload, TestImages.photo("chelsea.png"), "image/png");
            // until both states' transactions are on the wire: every read of theirs came before (an exchange counted
            // as done could be the first upload's, finishing after the queues were seen idle; reads of the API to
            // see the states would be counted themselves)
            Awaitility.await("both states written").atMost(PIPELINE_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        String recording = moto.recording();
                        return !requestsOf(imageId, TRANSACT, recording).isEmpty()
                                && !requestsOf(reUpload, TRANSACT, recording).isEmpty();
                    });
        } finally {
            moto.stopRecording();
        }

        assertThat(requestsOf(imageId, GET_ITEM, moto.recording()))
                .as("a new image: extractMetadata's read only; nothing stored, so the writer does not read").hasSize(1);
        assertThat(metadataPut(requestsOf(imageId, TRANSACT, moto.recording()).get(0)).path("ConditionExpression").asText())
                .endsWith("AND attribute_not_exists(#imageId)");
        assertThat(requestsOf(reUpload, GET_ITEM, moto.recording()))
                .as("a re-upload over stored metadata: read before labeling and again by the writer").hasSize(2);
        assertThat(awaitMetadata(imageId).path("status").asText()).isEqualTo("LABELED");
    }

    @Test
    void aStateStoredAfterTheExtractionFoundNoneIsReadAndReplacedWithItsIndex() throws Exception {
        String imageId = "writes/stored-meanwhile.jpg";
        putObject(imageId, TestImages.photo("chelsea.jpg"), "image/jpeg");
        JsonNode first = awaitMetadata(imageId);
        awaitPipelineIdle();
        assertThat(first.path("labels")).as("the stored state has index entries to move").isNotEmpty();

        // An extraction that saw no item (it read just before the first state was written) sends a newer state.
        ImageMetadata newer = ImageMetadata.rejected(new ProbedImage(imageId, BUCKET, PREFIX + imageId, false, "e-newer",
                0, ImageFormat.UNKNOWN, justAfter(storedOrderToken(imageId))), "empty object", Instant.now());
        String message = json.writeValueAsString(newer);
        MotoServer moto = MotoServer.shared();
        moto.startRecording();
        try {
            sqs.sendMessage(b -> b.queueUrl(queues.metadataQueueUrl()).messageBody(message)
                    .messageAttributes(Map.of(MetadataMessages.NOTHING_STORED, MessageAttributeValue.builder()
                            .dataType("String").stringValue("true").build())));
            Awaitility.await("the newer state stored").atMost(PIPELINE_TIMEOUT)
                    .until(() -> "REJECTED".equals(awaitMetadata(imageId).path("status").asText()));
        } finally {
            moto.stopRecording();
        }

        List<JsonNode> transactions = requestsOf(imageId, TRANSACT, moto.recording());
        assertThat(transactions).extracting(t -> metadataPut(t).path("ConditionExpression").asText())
                .as("the first attempt, on there being no item, is cancelled; the second, after a read, replaces the item")
                .satisfiesExactly(
                        c -> assertThat(c).endsWith("AND attribute_not_exists(#imageId)"),
                        c -> assertThat(c).endsWith("AND #orderToken = :readOrderToken AND #updatedAt = :readUpdatedAt"));
        assertThat(actions(transactions.get(1), "Delete")).as("the labeled state's index entries are deleted")
                .isEqualTo(first.path("labels").size());
    }

    private static JsonNode metadataPut(JsonNode transaction) {
        return transaction.path("TransactItems").get(0).path("Put");
    }

    /** Actions of this kind on the label index (not the metadata table) in a transaction. */
    private static int actions(JsonNode transaction, String kind) {
        int count = 0;
        for (JsonNode action : transaction.path("TransactItems")) {
            if (action.has(kind) && !TABLE.equals(action.path(kind).path("TableName").asText())) {
                count++;
            }
        }
        return count;
    }

    private void awaitMetadataOfContent(String imageId, String eTag) {
        Awaitility.await("metadata of the re-upload").atMost(PIPELINE_TIMEOUT)
                .until(() -> eTag.equals(awaitMetadata(imageId).path("eTag").asText()));
    }

    /** The requests of this target that moto recorded for this image's item. */
    private List<JsonNode> requestsOf(String imageId, String target, String recording) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (String line : recording.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode request = json.readTree(line);
            boolean matches = false;
            for (var header : (Iterable<java.util.Map.Entry<String, JsonNode>>) request.path("headers")::fields) {
                matches |= header.getKey().equalsIgnoreCase("X-Amz-Target") && target.equals(header.getValue().asText());
            }
            if (!matches) {
                continue;
            }
            String body = request.path("body_encoded").asBoolean()
                    ? new String(Base64.getDecoder().decode(request.path("body").asText()), StandardCharsets.UTF_8)
                    : request.path("body").asText();
            JsonNode parsed = json.readTree(body);
            JsonNode item = TRANSACT.equals(target) ? metadataPut(parsed).path("Item")
                    : GET_ITEM.equals(target) ? parsed.path("Key") : parsed.path("Item");
            if (imageId.equals(item.path("imageId").path("S").asText())) {
                found.add(parsed);
            }
        }
        return found;
    }
}
