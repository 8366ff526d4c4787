package digiads.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import digiads.local.MotoServer;
import digiads.metadata.MetadataMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The batch calls on SQS's wire protocol (moto): a metadata message is sent, a delete answers per entry
 * (a receipt handle SQS refuses fails its own request, the others' messages are deleted), and a send
 * that did not happen is thrown to the caller, so its exchange fails.
 */
class AwsBatchesTest {

    private final String queue = "batches-" + UUID.randomUUID();
    private SqsClient sqs;
    private String queueUrl;
    private AwsBatches batches;

    @BeforeEach
    void queue() {
        sqs = SqsClient.builder().endpointOverride(URI.create(MotoServer.shared().endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
        queueUrl = sqs.createQueue(b -> b.queueName(queue)).queueUrl();
        String base = queueUrl.substring(0, queueUrl.lastIndexOf('/'));
        batches = new AwsBatches(sqs, null, QueueUrls.of(base, "no-events", "no-events-dlq", queue, "no-metadata-dlq"), null,
                "arn:aws:sns:us-east-1:123456789012:unused", "this-instance", Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        batches.close();
        sqs.deleteQueue(b -> b.queueUrl(queueUrl));
        sqs.close();
    }

    private List<Message> receive() {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageAttributeNames("All")).messages();
    }

    @Test
    void aMetadataMessageIsSent() {
        batches.sendMetadata("{\"imageId\":\"a.jpg\"}", null);
        batches.sendMetadata("{\"imageId\":\"b.jpg\"}", true);
        assertThat(receive()).extracting(Message::body, m -> m.messageAttributes().keySet())
                .containsExactlyInAnyOrder(tuple("{\"imageId\":\"a.jpg\"}", Set.of()),
                        tuple("{\"imageId\":\"b.jpg\"}", Set.of(MetadataMessages.NOTHING_STORED)));
    }

    @Test
    void aSendThatDidNotHappenIsThrownToTheCaller() {
        AwsBatches nowhere = new AwsBatches(sqs, null, QueueUrls.of(queueUrl + "-gone", "e", "ed", "m", "md"), null,
                "arn:aws:sns:us-east-1:123456789012:unused", "this-instance", Duration.ofSeconds(5));
        assertThatThrownBy(() -> nowhere.sendMetadata("{}", null)).isInstanceOf(GroupCommit.EntryFailedException.class)
                .hasMessageContaining("SendMessageBatch m");
        nowhere.close();
    }

    @Test
    void aDeleteSqsRefusesFailsItsOwnRequestAndTheOthersAreDeleted() throws Exception {
        batches.send(queueUrl, new AwsBatches.Outgoing("one", Map.of())).get(5, TimeUnit.SECONDS);
        batches.send(queueUrl, new AwsBatches.Outgoing("two", Map.of())).get(5, TimeUnit.SECONDS);
        List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                .visibilityTimeout(1).waitTimeSeconds(1)).messages();
        assertThat(received).hasSize(2);

        String bogus = "not-a-receipt-handle-" + UUID.randomUUID();
        CompletableFuture<Void> first = batches.delete(queueUrl, received.get(0).receiptHandle());
        CompletableFuture<Void> refused = batches.delete(queueUrl, bogus);
        CompletableFuture<Void> second = batches.delete(queueUrl, received.get(1).receiptHandle());
        first.get(5, TimeUnit.SECONDS);
        second.get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(GroupCommit.EntryFailedException.class);

        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes().values()).as("both messages deleted: none visible, none in flight").containsOnly("0");
    }
}
