package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.metadata.TombstoneLife;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A deleted image's tombstone outlives every message about the image that a queue can still hold:
 * its life follows the real queues' retention (here with a configured life of only an hour, so the
 * queues decide), also when a dead-letter queue is made to keep messages longer.
 */
class TombstoneLifeIntegrationTest extends MotoTestSupport {

    private static final Duration MARGIN = Duration.ofDays(1);

    @Autowired
    TombstoneLife tombstoneLife;

    private long tombstoneExpiry(String imageId) {
        putObject(imageId, TestImages.jpeg(), "image/jpeg");
        awaitMetadata(imageId);
        s3.deleteObject(b -> b.bucket(BUCKET).key(PREFIX + imageId));
        awaitNoMetadata(imageId);
        Map<String, AttributeValue> tombstone = dynamo.getItem(b -> b.tableName(TABLE)
                .key(Map.of("imageId", AttributeValue.fromS(imageId)))).item();
        return Long.parseLong(tombstone.get("expiresAt").n());
    }

    private void assertExpiresAfter(long expiresAt, Duration life) {
        long expected = Instant.now().plus(life).getEpochSecond();
        assertThat(expiresAt).as("expires %s from now", life).isBetween(expected - 120, expected + 5);
    }

    @Test
    void aTombstoneOutlivesTheLongestRetentionOfTheQueues() {
        // the emulator's queues keep messages 4 days (SQS's default): the tombstone lives 4 days + the margin
        tombstoneLife.readQueueRetentions();
        assertExpiresAfter(tombstoneExpiry("tombstone/default.jpg"), Duration.ofDays(4).plus(MARGIN));

        // a dead-letter queue that keeps its messages 14 days: a redrive on day 13 must still meet the tombstone
        sqs.setQueueAttributes(b -> b.queueUrl(queues.metadataDlqUrl())
                .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Long.toString(Duration.ofDays(14).toSeconds()))));
        try {
            tombstoneLife.readQueueRetentions();
            assertExpiresAfter(tombstoneExpiry("tombstone/long-dlq.jpg"), Duration.ofDays(14).plus(MARGIN));
        } finally {
            sqs.setQueueAttributes(b -> b.queueUrl(queues.metadataDlqUrl())
                    .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Long.toString(Duration.ofDays(4).toSeconds()))));
            tombstoneLife.readQueueRetentions();
        }
    }
}
