package digiads.events;

import java.time.Duration;
import java.util.Objects;

/**
 * When a message whose work failed is received again: after {@code first} on its first failure,
 * twice as long on each further one, never later than the visibility timeout it was received with
 * (what SQS would wait anyway). A transient failure (Rekognition throttled, DynamoDB or S3 briefly
 * unreachable) is thus retried within seconds instead of after the whole timeout, while a lasting
 * one backs off; the queue's redrive policy still moves the message to its DLQ after
 * {@code maxReceiveCount} receives.
 *
 * @param first the wait after the first failed receive
 */
public record RetryBackoff(Duration first) {

    public RetryBackoff {
        Objects.requireNonNull(first, "first");
        if (first.isNegative()) {
            throw new IllegalArgumentException("the first retry delay must not be negative: " + first);
        }
    }

    /**
     * @param receiveCount      how often SQS has handed the message out, this receive included (1 the first time)
     * @param visibilityTimeout what the message was received with
     * @return how long the message stays hidden from now, at most the visibility timeout
     */
    public Duration after(int receiveCount, Duration visibilityTimeout) {
        int failures = Math.max(1, receiveCount);
        // 2^30 × any first delay is beyond every visibility timeout (12 h at most)
        Duration delay = first.multipliedBy(1L << Math.min(failures - 1, 30));
        return delay.compareTo(visibilityTimeout) < 0 ? delay : visibilityTimeout;
    }
}
