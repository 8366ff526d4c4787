package digiads.aws;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

import digiads.live.InstanceId;
import digiads.metadata.MetadataMessages;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.component.aws2.sqs.Sqs2Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The pipeline's SQS sends and deletes and its SNS publishes, as batch calls that never wait to fill
 * ({@link GroupCommit}, one per queue or topic and operation): SendMessageBatch of the metadata
 * messages, DeleteMessageBatch of the consumed messages whose work succeeded, PublishBatch of the live
 * updates. With the application's clients ({@link AwsClients}), so their time limits hold.
 *
 * <p>A metadata message is sent before its event is acknowledged: {@link #sendMetadata} waits for its
 * entry's answer and throws when the entry failed, which fails the exchange and leaves the event
 * message for redelivery. {@link #acknowledge} deletes a consumed message once its exchange has
 * completed, without holding up the consumer; a delete that fails leaves the message to come back after
 * its visibility timeout (processing is idempotent), as Camel's own delete did.
 */
@Component
public class AwsBatches implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AwsBatches.class);
    /** The most a SendMessageBatch or PublishBatch may carry in all. */
    static final int MAX_BATCH_BYTES = 256 * 1024;
    /** The data type of a string message attribute, in SQS and SNS alike. */
    private static final String STRING = "String";

    private final SqsClient sqs;
    private final SnsClient sns;
    private final QueueUrls queues;
    private final HeldMessages held;
    private final String updatesTopic;
    private final Map<String, MessageAttributeValue> updateAttributes;
    private final Duration flushTimeout;
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("aws-batch-", 0).factory());
    private final Map<String, GroupCommit<Outgoing>> sends = new ConcurrentHashMap<>();
    private final Map<String, GroupCommit<String>> deletes = new ConcurrentHashMap<>();
    private final Map<String, GroupCommit<String>> publishes = new ConcurrentHashMap<>();

    public AwsBatches(SqsClient sqs, SnsClient sns, QueueUrls queues, HeldMessages held,
                      @Value("${digiads.live.updates.topic-arn}") String updatesTopic,
                      @Value("${digiads.live.updates.origin}") String origin,
                      @Value("${digiads.aws.timeouts.api-call}") Duration apiCall) {
        this.sqs = sqs;
        this.sns = sns;
        this.queues = queues;
        this.held = held;
        this.updatesTopic = updatesTopic;
        this.updateAttributes = Map.of(InstanceId.UPDATE_ORIGIN,
                MessageAttributeValue.builder().dataType(STRING).stringValue(origin).build());
        this.flushTimeout = apiCall.multipliedBy(2);
    }

    /** An SQS message to send: its body and its string message attributes. */
    public record Outgoing(String body, Map<String, String> attributes) {
        public Outgoing {
            attributes = Map.copyOf(attributes);
        }

        /** What SQS counts towards a message's size: the body, and each attribute's name, type and value. */
        int bytes() {
            return AwsBatches.bytes(body) + attributes.entrySet().stream()
                    .mapToInt(a -> AwsBatches.bytes(a.getKey()) + STRING.length() + AwsBatches.bytes(a.getValue())).sum();
        }

        SendMessageBatchRequestEntry entry(String id) {
            return SendMessageBatchRequestEntry.builder().id(id).messageBody(body)
                    .messageAttributes(attributes.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                            a -> software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder()
                                    .dataType(STRING).stringValue(a.getValue()).build())))
                    .build();
        }
    }

    /**
     * Sends a metadata message (the body) to the metadata queue, with the attribute
     * {@link MetadataMessages#NOTHING_STORED} when its extraction found nothing stored for the image;
     * throws when it was not sent.
     */
    public void sendMetadata(@Body String body, @Header(MetadataMessages.NOTHING_STORED) Boolean nothingStored) {
        await(send(queues.metadata(), new Outgoing(body, Boolean.TRUE.equals(nothingStored)
                ? Map.of(MetadataMessages.NOTHING_STORED, "true") : Map.of())));
    }

    /**
     * Publishes an image update (the body) to the updates topic, naming this instance as its origin
     * ({@link InstanceId#UPDATE_ORIGIN}); throws when it was not published.
     */
    public void publishUpdate(String body) {
        await(publish(updatesTopic, body));
    }

    /**
     * Deletes the consumed message of a completed exchange (its work succeeded, or it was dead-lettered);
     * does not wait for the answer. An exchange that did not come from an SQS consumer has nothing to delete.
     */
    public void acknowledge(Exchange exchange) {
        if (!(exchange.getFromEndpoint() instanceof Sqs2Endpoint endpoint)) {
            return;
        }
        String receiptHandle = exchange.getMessage().getHeader(Sqs2Constants.RECEIPT_HANDLE, String.class);
        if (receiptHandle == null) {
            return;
        }
        String queueUrl = endpoint.getConfiguration().getQueueUrl();
        Object messageId = exchange.getMessage().getHeader(Sqs2Constants.MESSAGE_ID);
        delete(queueUrl, receiptHandle).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warn("{}: message {} was done but not deleted ({}); it comes back after its visibility timeout",
                        QueueUrls.name(queueUrl), messageId, failure.getMessage());
            }
        });
    }

    public CompletableFuture<Void> send(String queueUrl, Outgoing message) {
        return sends.computeIfAbsent(queueUrl, url -> new GroupCommit<>("SendMessageBatch " + QueueUrls.name(url),
                entries -> sendBatch(url, entries), Outgoing::bytes, MAX_BATCH_BYTES, calls)).submit(message);
    }

    public CompletableFuture<Void> delete(String queueUrl, String receiptHandle) {
        return deletes.computeIfAbsent(queueUrl, url -> new GroupCommit<>("DeleteMessageBatch " + QueueUrls.name(url),
                entries -> deleteBatch(url, entries), handle -> 0, MAX_BATCH_BYTES, calls)).submit(receiptHandle);
    }

    private CompletableFuture<Void> publish(String topicArn, String message) {
        return publishes.computeIfAbsent(topicArn, arn -> new GroupCommit<>("PublishBatch " + arn,
                entries -> publishBatch(arn, entries), AwsBatches::bytes, MAX_BATCH_BYTES, calls)).submit(message);
    }

    private GroupCommit.Outcome sendBatch(String queueUrl, Map<String, Outgoing> messages) {
        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(messages.entrySet().stream()
                .map(e -> e.getValue().entry(e.getKey())).toList()));
        return outcome(response.successful(), s -> s.id(), response.failed(), f -> f.id(), f -> f.code() + ": " + f.message());
    }

    private GroupCommit.Outcome deleteBatch(String queueUrl, Map<String, String> receiptHandles) {
        DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(receiptHandles.entrySet()
                .stream().map(e -> DeleteMessageBatchRequestEntry.builder().id(e.getKey()).receiptHandle(e.getValue()).build())
                .toList()));
        return outcome(response.successful(), s -> s.id(), response.failed(), f -> f.id(), f -> f.code() + ": " + f.message());
    }

    private GroupCommit.Outcome publishBatch(String topicArn, Map<String, String> messages) {
        PublishBatchResponse response = sns.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(messages.entrySet()
                .stream().map(e -> PublishBatchRequestEntry.builder().id(e.getKey()).message(e.getValue())
                        .messageAttributes(updateAttributes).build()).toList()));
        return outcome(response.successful(), s -> s.id(), response.failed(), f -> f.id(), f -> f.code() + ": " + f.message());
    }

    /** A batch answer as the batcher takes it (SQS and SNS answer alike, with types of their own). */
    private static <S, F> GroupCommit.Outcome outcome(List<S> succeeded, Function<S, String> succeededId, List<F> failed,
                                                      Function<F, String> failedId, Function<F, String> why) {
        return new GroupCommit.Outcome(succeeded.stream().map(succeededId).collect(Collectors.toSet()),
                failed.stream().collect(Collectors.toMap(failedId, why)));
    }

    private static int bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Waits for a request's outcome; its failure is thrown as it is. */
    private static void await(CompletableFuture<Void> done) {
        try {
            done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * At shutdown, after the routes stopped: what waits is sent (the last acknowledgements), then the
     * messages still held go back to their queues ({@link HeldMessages#release}), before the clients close.
     */
    @Override
    public void close() {
        for (Map<String, ? extends GroupCommit<?>> batchers : List.of(sends, publishes, deletes)) {
            batchers.values().forEach(batcher -> batcher.close(flushTimeout));
        }
        calls.shutdown();
        if (held != null) {
            held.release(sqs);
        }
    }
}
