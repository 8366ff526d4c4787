package digiads.metadata;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import digiads.aws.QueueUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * How long a deleted image's tombstone lives. A message about the image may wait in any queue that
 * can carry it (the events and metadata queues, their dead-letter queues) as long as that queue keeps
 * messages, and be redriven at the end of it; the tombstone must outlive that message, or the
 * message would write the deleted image's metadata back. So the life is the longest retention of
 * those queues plus a margin, and never less than {@code digiads.dynamodb.tombstone-ttl}. The
 * retentions are read from the real queues when the app is ready; if they cannot be read then, the
 * configured life stands (its default covers the 14 days of the CloudFormation template's DLQs).
 */
@Component
public class TombstoneLife {

    private static final Logger LOG = LoggerFactory.getLogger(TombstoneLife.class);

    private final Duration configured;
    private final Duration margin;
    private final SqsClient sqs;
    private final List<String> queueUrls;
    private volatile Duration life;

    @Autowired
    public TombstoneLife(@Value("${digiads.dynamodb.tombstone-ttl}") Duration configured,
                         @Value("${digiads.dynamodb.tombstone-margin}") Duration margin, SqsClient sqs,
                         QueueUrls urls) {
        this.configured = configured;
        this.margin = margin;
        this.sqs = sqs;
        this.queueUrls = urls.all();
        this.life = configured;
    }

    /** A fixed life, for tests of what uses it. */
    public static TombstoneLife fixed(Duration life) {
        return new TombstoneLife(life);
    }

    private TombstoneLife(Duration life) {
        this.configured = life;
        this.margin = Duration.ZERO;
        this.sqs = null;
        this.queueUrls = List.of();
        this.life = life;
    }

    /** The life of a tombstone written now. */
    public Duration life() {
        return life;
    }

    /** The longest retention of the queues plus the margin, and at least the configured life. */
    static Duration derive(Duration configured, Collection<Duration> retentions, Duration margin) {
        Duration longest = retentions.stream().max(Duration::compareTo).orElse(Duration.ZERO);
        Duration needed = longest.plus(margin);
        return needed.compareTo(configured) > 0 ? needed : configured;
    }

    /** Reads the queues' retention and derives the life from it (once, when the app is ready). */
    @EventListener(ApplicationReadyEvent.class)
    public void readQueueRetentions() {
        try {
            List<Duration> retentions = queueUrls.stream().map(this::retention).toList();
            life = derive(configured, retentions, margin);
            LOG.info("Tombstones live {}: the longest message retention of {} is {}, plus {}", life, queueUrls,
                    retentions.stream().max(Duration::compareTo).orElseThrow(), margin);
        } catch (RuntimeException e) {
            LOG.warn("Could not read the queues' message retention ({}); tombstones live the configured {}",
                    e.getMessage(), configured);
        }
    }

    private Duration retention(String queueUrl) {
        String seconds = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.MESSAGE_RETENTION_PERIOD)).attributes()
                .get(QueueAttributeName.MESSAGE_RETENTION_PERIOD);
        return Duration.ofSeconds(Long.parseLong(seconds));
    }
}
