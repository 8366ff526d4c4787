package digiads.aws;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The messages of the work queues (S3 events, metadata) that this instance holds: received, and
 * neither deleted nor given a visibility of its own (a failed message's retry backoff,
 * {@link FailedMessages}). It sees them as the SQS client does (an interceptor of {@link AwsClients}'
 * client): what a receive brought, what a delete removed, whichever code made the call.
 *
 * <p>At shutdown, once the consumers stopped and the last deletes went out ({@link AwsBatches#close}),
 * {@link #release} makes what is still held visible again at once (ChangeMessageVisibilityBatch to 0),
 * for another instance or the next start to take: a message whose work did not finish within the
 * shutdown timeout, one a receive brought as the consumer stopped. Without it such a message would wait
 * out its visibility timeout (90 s, 120 s) hidden from every consumer.
 */
public final class HeldMessages implements ExecutionInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(HeldMessages.class);
    /** The most entries one ChangeMessageVisibilityBatch may carry. */
    static final int MAX_BATCH = 10;

    private final Set<String> queueUrls;
    /** Receipt handle → its queue's URL. */
    private final Map<String, String> held = new ConcurrentHashMap<>();

    /** Tracks the messages of these queues (by URL); those of any other queue are not this class's. */
    public HeldMessages(Collection<String> queueUrls) {
        this.queueUrls = Set.copyOf(queueUrls);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        SdkResponse response = context.response();
        if (request instanceof ReceiveMessageRequest receive && response instanceof ReceiveMessageResponse received) {
            if (queueUrls.contains(receive.queueUrl())) {
                received.messages().forEach(m -> held.put(m.receiptHandle(), receive.queueUrl()));
            }
        } else if (request instanceof DeleteMessageBatchRequest delete
                && response instanceof DeleteMessageBatchResponse deleted) {
            Map<String, String> handles = delete.entries().stream()
                    .collect(Collectors.toMap(DeleteMessageBatchRequestEntry::id, DeleteMessageBatchRequestEntry::receiptHandle));
            deleted.successful().stream().map(DeleteMessageBatchResultEntry::id).map(handles::get).forEach(this::done);
        } else if (request instanceof DeleteMessageRequest delete) {
            done(delete.receiptHandle());
        } else if (request instanceof ChangeMessageVisibilityRequest change) {
            done(change.receiptHandle());
        }
    }

    private void done(String receiptHandle) {
        if (receiptHandle != null) {
            held.remove(receiptHandle);
        }
    }

    /** How many messages are held now. */
    public int size() {
        return held.size();
    }

    /** How many messages of this queue (its URL) are held now. */
    public int size(String queueUrl) {
        return (int) held.values().stream().filter(queueUrl::equals).count();
    }

    /**
     * Makes every message still held visible again now, a ChangeMessageVisibilityBatch per queue and ten
     * messages; returns how many were released. A message SQS refuses (its handle expired: it is visible
     * already) or a call that fails is logged: such a message comes back after its visibility timeout.
     */
    public int release(SqsClient sqs) {
        if (held.isEmpty()) {
            return 0;
        }
        Map<String, List<String>> byQueue = held();
        int released = 0;
        for (Map.Entry<String, List<String>> queue : byQueue.entrySet()) {
            int queueReleased = 0;
            for (List<String> batch : batches(queue.getValue())) {
                queueReleased += releaseBatch(sqs, queue.getKey(), batch);
            }
            LOG.info("{}: released {} of the {} messages held at shutdown (visible again now)",
                    QueueUrls.name(queue.getKey()), queueReleased, queue.getValue().size());
            released += queueReleased;
        }
        return released;
    }

    private int releaseBatch(SqsClient sqs, String queueUrl, List<String> handles) {
        Map<String, String> byId = new HashMap<>();
        for (int i = 0; i < handles.size(); i++) {
            byId.put(String.valueOf(i), handles.get(i));
        }
        try {
            ChangeMessageVisibilityBatchResponse response = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl)
                    .entries(byId.entrySet().stream().map(e -> ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id(e.getKey()).receiptHandle(e.getValue()).visibilityTimeout(0).build()).toList()));
            response.successful().forEach(s -> held.remove(byId.get(s.id())));
            response.failed().forEach(f -> LOG.warn("{}: a held message was not released ({}: {}); it comes back after "
                    + "its visibility timeout", QueueUrls.name(queueUrl), f.code(), f.message()));
            return response.successful().size();
        } catch (SdkException e) {
            LOG.warn("{}: {} held messages were not released ({}); they come back after their visibility timeout",
                    QueueUrls.name(queueUrl), handles.size(), e.getMessage());
            return 0;
        }
    }

    static <T> List<List<T>> batches(List<T> items) {
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < items.size(); from += MAX_BATCH) {
            batches.add(items.subList(from, Math.min(items.size(), from + MAX_BATCH)));
        }
        return batches;
    }

    /** The receipt handles held, by queue URL. */
    Map<String, List<String>> held() {
        return held.entrySet().stream().collect(Collectors.groupingBy(Map.Entry::getValue,
                Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
    }
}
