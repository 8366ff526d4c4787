package digiads.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.local.AwsResources;
import digiads.metadata.TombstoneLife;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A deleted image's tombstone outlives every message about the image that a queue can still hold:
 * its life follows the real queues' retention (here with a configured life of only an hour, so the
 * queues decide): the retention infra/resources.json gives them, and what a changed retention makes of it.
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

    private void setRetention(String queueUrl, Duration retention) {
        sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(
                Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Long.toString(retention.toSeconds()))));
    }

    @Test
    void aTombstoneOutlivesTheLongestRetentionOfTheQueues() {
        // the queues as defined: the dead-letter queues keep messages longest (a redrive on day 13 must
        // still meet the tombstone)
        var definition = AwsResources.DEFINITION;
        Duration longest = Duration.ofSeconds(definition.longestRetentionSeconds());
        Duration eventsDlq = Duration.ofSeconds(definition.queues().get("events").deadLetterQueue().messageRetentionSeconds());
        Duration metadataDlq = Duration.ofSeconds(definition.queues().get("metadata").deadLetterQueue().messageRetentionSeconds());
        assertThat(longest).as("the test needs a DLQ that keeps messages longer than 4 days").isGreaterThan(Duration.ofDays(4));
        tombstoneLife.readQueueRetentions();
        assertExpiresAfter(tombstoneExpiry("tombstone/as-defined.jpg"), longest.plus(MARGIN));

        // dead-letter queues made to keep their messages only a day: the work queues' retention decides
        setRetention(queues.eventsDlqUrl(), Duration.ofDays(1));
        setRetention(queues.metadataDlqUrl(), Duration.ofDays(1));
        try {
            tombstoneLife.readQueueRetentions();
            Duration workQueues = Duration.ofSeconds(definition.queues().values().stream()
                    .mapToInt(q -> q.messageRetentionSeconds()).max().orElseThrow());
            assertExpiresAfter(tombstoneExpiry("tombstone/short-dlqs.jpg"), workQueues.plus(MARGIN));
        } finally {
            setRetention(queues.eventsDlqUrl(), eventsDlq);
            setRetention(queues.metadataDlqUrl(), metadataDlq);
            tombstoneLife.readQueueRetentions();
        }
    }
}
