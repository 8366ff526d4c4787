package digiads.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import digiads.aws.QueueUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The operator's view of the dead-letter queues, at {@code /actuator/deadletters} (behind the
 * operator login): {@code GET} lists what waits in each DLQ with the reason it was dead-lettered;
 * {@code POST /actuator/deadletters/{queue}} moves the messages of one DLQ back to its queue once
 * the cause is fixed, each at most once per call. A message is deleted from the DLQ only after it
 * was sent back.
 */
@Component
@Endpoint(id = "deadletters")
public class DeadLetters {

    /** How many messages a listing shows per queue, and a receive of a redrive asks for. */
    static final int PAGE = 10;
    /** A redrive's receives are long polls: they ask every SQS server, so a message is not missed by sampling. */
    static final int WAIT_SECONDS = 1;
    /** Message attributes a route sets when it dead-letters a message: why, and the id of the message. */
    public static final String REASON = "DeadLetterReason";
    public static final String SOURCE = "DeadLetterSourceMessageId";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final SqsClient sqs;
    private final Map<String, String[]> queues = new LinkedHashMap<>();
    private final int maxMoves;
    private final int emptyReceives;
    private final Duration visibilityTimeout;

    public DeadLetters(SqsClient sqs, QueueUrls urls,
                       @Value("${digiads.deadletters.max-moves}") int maxMoves,
                       @Value("${digiads.deadletters.empty-receives}") int emptyReceives,
                       @Value("${digiads.deadletters.visibility-timeout}") Duration visibilityTimeout) {
        this.sqs = sqs;
        this.maxMoves = maxMoves;
        this.emptyReceives = emptyReceives;
        this.visibilityTimeout = visibilityTimeout;
        queues.put(QueueUrls.name(urls.eventsDlq()), new String[] {urls.eventsDlq(), urls.events()});
        queues.put(QueueUrls.name(urls.metadataDlq()), new String[] {urls.metadataDlq(), urls.metadata()});
    }

    public record DeadLetter(String messageId, String reason, int receiveCount, Instant sentAt, String body) {
    }

    public record Listing(String queue, String redrivesTo, List<DeadLetter> messages) {
    }

    /** Up to ten messages of each dead-letter queue, with their reasons; listing leaves them where they are. */
    @ReadOperation
    public List<Listing> list() {
        List<Listing> listings = new ArrayList<>();
        queues.forEach((name, urls) -> {
            List<DeadLetter> letters = sqs.receiveMessage(b -> b.queueUrl(urls[0]).maxNumberOfMessages(PAGE)
                            .visibilityTimeout(0).waitTimeSeconds(0).messageAttributeNames("All")
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                                    MessageSystemAttributeName.SENT_TIMESTAMP))
                    .messages().stream().map(DeadLetters::letter).toList();
            listings.add(new Listing(name, urls[1].substring(urls[1].lastIndexOf('/') + 1), letters));
        });
        return listings;
    }

    /**
     * Moves the messages of one dead-letter queue back to the queue they came from, each at most once:
     * a message this call moved that is back in the dead-letter queue before the call ends (it failed
     * again) is counted, not moved again, and left there for the next redrive. Messages are received
     * with long polls (which ask every SQS server, unlike short polls) and hidden for the
     * {@code visibility-timeout} while the call runs; the queue counts as drained after
     * {@code empty-receives} receives in a row that brought nothing to move.
     *
     * @return {@code queue}, {@code redrivenTo}, {@code moved}: messages moved; {@code failedAgain}: of those,
     * the ones already back in the dead-letter queue when the call ended
     */
    @WriteOperation
    public Map<String, Object> redrive(@Selector String queue) {
        String[] urls = queues.get(queue);
        if (urls == null) {
            String message = "no such dead-letter queue: " + queue + "; known: " + queues.keySet();
            throw new InvalidEndpointRequestException(message, message);
        }
        Set<String> received = new HashSet<>();
        Set<String> sent = new HashSet<>();
        List<String> left = new ArrayList<>();
        long deadline = System.nanoTime() + visibilityTimeout.toNanos() / 2;
        int moved = 0;
        int failedAgain = 0;
        int fruitless = 0;
        try {
            while (moved < maxMoves && fruitless < emptyReceives && System.nanoTime() < deadline) {
                List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(urls[0]).maxNumberOfMessages(PAGE)
                        .visibilityTimeout((int) visibilityTimeout.toSeconds()).waitTimeSeconds(WAIT_SECONDS)
                        .messageAttributeNames("All")).messages();
                int before = moved;
                for (Message message : batch) {
                    if (!received.add(message.messageId()) || moved == maxMoves) {
                        left.add(message.receiptHandle());
                    } else if (sent.contains(message.messageId()) || sent.contains(sourceOf(message))) {
                        failedAgain++;
                        left.add(message.receiptHandle());
                    } else {
                        sent.add(move(message, urls[1]));
                        sqs.deleteMessage(b -> b.queueUrl(urls[0]).receiptHandle(message.receiptHandle()));
                        moved++;
                    }
                }
                fruitless = moved > before ? 0 : fruitless + 1;
            }
        } finally {
            showAgain(urls[0], left);
        }
        String redrivenTo = urls[1].substring(urls[1].lastIndexOf('/') + 1);
        LOG.info("redrive of {}: {} messages moved to {}, {} of them already failed again", queue, moved, redrivenTo,
                failedAgain);
        return Map.of("queue", queue, "redrivenTo", redrivenTo, "moved", moved, "failedAgain", failedAgain);
    }

    /**
     * What a call left in the dead-letter queue is visible again at once, for the next call. Should
     * that fail (e.g. a role without sqs:ChangeMessageVisibility on the DLQ), the messages reappear
     * after the visibility timeout: nothing is lost.
     */
    private void showAgain(String dlqUrl, List<String> receiptHandles) {
        try {
            for (String handle : receiptHandles) {
                sqs.changeMessageVisibility(b -> b.queueUrl(dlqUrl).receiptHandle(handle).visibilityTimeout(0));
            }
        } catch (SdkException e) {
            LOG.warn("could not make the {} messages a redrive left in {} visible again; they reappear within {}: {}",
                    receiptHandles.size(), dlqUrl, visibilityTimeout, e.toString());
        }
    }

    /** Sends the message back to its queue without the dead-letter attributes; the new message's id. */
    private String move(Message message, String queueUrl) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>(message.messageAttributes());
        attributes.remove(REASON);
        attributes.remove(SOURCE);
        return sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(message.body()).messageAttributes(attributes))
                .messageId();
    }

    /** The id of the message a route dead-lettered (it sends a new message); SQS's own moves keep the id. */
    private static String sourceOf(Message message) {
        MessageAttributeValue source = message.messageAttributes().get(SOURCE);
        return source == null ? null : source.stringValue();
    }

    private static DeadLetter letter(Message message) {
        MessageAttributeValue reason = message.messageAttributes().get(REASON);
        String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        String sent = message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        String body = message.body();
        return new DeadLetter(message.messageId(),
                reason != null ? reason.stringValue() : "exceeded maxReceiveCount (processing kept failing)",
                count == null ? 0 : Integer.parseInt(count),
                sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)),
                body.length() > 2000 ? body.substring(0, 2000) + "…" : body);
    }
}
