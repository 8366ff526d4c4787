package digiads.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The operator's view of the dead-letter queues, at {@code /actuator/deadletters} (behind the
 * operator login): {@code GET} lists what waits in each DLQ with the reason it was dead-lettered;
 * {@code POST /actuator/deadletters/{queue}} moves the messages of one DLQ back to its queue once
 * the cause is fixed. A message is deleted from the DLQ only after it was sent back.
 */
@Component
@Endpoint(id = "deadletters")
public class DeadLetters {

    /** How many messages a listing shows per queue, and a redrive moves at most per call. */
    static final int PAGE = 10;
    static final int MAX_REDRIVE = 1000;
    static final String REASON = "DeadLetterReason";

    private final SqsClient sqs;
    private final Map<String, String[]> queues = new LinkedHashMap<>();

    public DeadLetters(SqsClient sqs, @Value("${digiads.sqs.base-url}") String baseUrl,
                       @Value("${digiads.sqs.events-queue}") String events, @Value("${digiads.sqs.events-dlq}") String eventsDlq,
                       @Value("${digiads.sqs.metadata-queue}") String metadata,
                       @Value("${digiads.sqs.metadata-dlq}") String metadataDlq) {
        this.sqs = sqs;
        queues.put(eventsDlq, new String[] {baseUrl + "/" + eventsDlq, baseUrl + "/" + events});
        queues.put(metadataDlq, new String[] {baseUrl + "/" + metadataDlq, baseUrl + "/" + metadata});
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

    /** Moves the messages of one dead-letter queue back to the queue they came from. */
    @WriteOperation
    public Map<String, Object> redrive(@Selector String queue) {
        String[] urls = queues.get(queue);
        if (urls == null) {
            String message = "no such dead-letter queue: " + queue + "; known: " + queues.keySet();
            throw new InvalidEndpointRequestException(message, message);
        }
        int moved = 0;
        while (moved < MAX_REDRIVE) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(urls[0]).maxNumberOfMessages(PAGE)
                    .visibilityTimeout(60).waitTimeSeconds(0).messageAttributeNames("All")).messages();
            if (batch.isEmpty()) {
                break;
            }
            for (Message message : batch) {
                Map<String, MessageAttributeValue> attributes = new HashMap<>(message.messageAttributes());
                attributes.remove(REASON);
                sqs.sendMessage(b -> b.queueUrl(urls[1]).messageBody(message.body()).messageAttributes(attributes));
                sqs.deleteMessage(b -> b.queueUrl(urls[0]).receiptHandle(message.receiptHandle()));
                moved++;
            }
        }
        return Map.of("queue", queue, "redrivenTo", urls[1].substring(urls[1].lastIndexOf('/') + 1), "moved", moved);
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
