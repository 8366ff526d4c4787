package digiads.aws;

import java.time.Duration;
import java.util.Map;

import digiads.events.RetryBackoff;
import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.component.aws2.sqs.Sqs2Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A consumed SQS message whose work failed stays on its queue (it is not deleted) and comes back
 * after its {@link RetryBackoff} rather than after the whole visibility timeout: its visibility is set
 * to the backoff of its receive count (SQS's {@code ApproximateReceiveCount}, which the consumer
 * endpoints receive). If that call fails, the message simply comes back after its timeout.
 */
@Component
public class FailedMessages {

    private static final Logger LOG = LoggerFactory.getLogger(FailedMessages.class);
    private static final String RECEIVE_COUNT = MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString();

    private final SqsClient sqs;
    private final RetryBackoff backoff;

    public FailedMessages(SqsClient sqs, @Value("${digiads.sqs.retry-delay}") Duration retryDelay) {
        this.sqs = sqs;
        this.backoff = new RetryBackoff(retryDelay);
    }

    /** Hides the failed message of this exchange for its backoff; never throws (the failure stays the exchange's). */
    public void retryLater(Exchange exchange) {
        if (!(exchange.getFromEndpoint() instanceof Sqs2Endpoint endpoint)) {
            return;
        }
        String receiptHandle = exchange.getMessage().getHeader(Sqs2Constants.RECEIPT_HANDLE, String.class);
        Integer visibility = endpoint.getConfiguration().getVisibilityTimeout();
        if (receiptHandle == null || visibility == null) {
            return;
        }
        int receiveCount = receiveCount(exchange.getMessage().getHeader(Sqs2Constants.ATTRIBUTES, Map.class));
        Duration delay = backoff.after(receiveCount, Duration.ofSeconds(visibility));
        try {
            sqs.changeMessageVisibility(b -> b.queueUrl(endpoint.getConfiguration().getQueueUrl())
                    .receiptHandle(receiptHandle).visibilityTimeout((int) delay.toSeconds()));
            LOG.info("{}: message {} failed on receive {}; back in {} s",
                    endpoint.getConfiguration().getQueueName(), exchange.getMessage().getHeader(Sqs2Constants.MESSAGE_ID),
                    receiveCount, delay.toSeconds());
        } catch (SdkException e) {
            LOG.warn("{}: could not bring failed message {} back early ({}); it comes back after {} s",
                    endpoint.getConfiguration().getQueueName(), exchange.getMessage().getHeader(Sqs2Constants.MESSAGE_ID),
                    e.getMessage(), visibility);
        }
    }

    /** The receive count among the message's system attributes (keyed by name or by enum); 0 when absent. */
    static int receiveCount(Map<?, ?> attributes) {
        if (attributes == null) {
            return 0;
        }
        for (Map.Entry<?, ?> attribute : attributes.entrySet()) {
            if (RECEIVE_COUNT.equals(String.valueOf(attribute.getKey()))) {
                try {
                    return Integer.parseInt(String.valueOf(attribute.getValue()));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
