package digiads.aws;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import digiads.DigiadsProperties;
import digiads.events.VisibilityBudget;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.aws2.sqs.Sqs2Configuration;
import org.apache.camel.component.aws2.sqs.Sqs2Endpoint;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Refuses to start consumers that could let a message they hold become visible again (a second,
 * paid DetectLabels call; a healthy message counted towards the DLQ): before the routes start, each
 * SQS consumer endpoint's batch size, visibility timeout and extension are checked against the worst
 * case of its messages' work ({@link VisibilityBudget}), taken from the time limits that bound each
 * step. An endpoint that is not SQS (the route tests' direct: endpoints) holds no messages.
 */
@Component
public class ConsumerBudgets implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerBudgets.class);

    private final DigiadsProperties.Aws.Timeouts timeouts;
    private final DigiadsProperties.Rekognition rekognition;

    public ConsumerBudgets(DigiadsProperties properties) {
        this.timeouts = properties.aws().timeouts();
        this.rekognition = properties.rekognition();
    }

    /**
     * What one S3 event message may take, on its longest path (an image to label): read the object's
     * first bytes, look for metadata of the same content, wait for a permit and DetectLabels, wait for
     * a permit and DetectModerationLabels, send the metadata message (a batched send: it may wait for the
     * send in flight, then go with the next). A removal (a DynamoDB write) is shorter. Then its delete.
     */
    Map<String, Duration> eventSteps() {
        Map<String, Duration> steps = new LinkedHashMap<>();
        steps.put("S3 read", timeouts.apiCall());
        steps.put("DynamoDB read", timeouts.dynamodbApiCall());
        steps.put("DetectLabels permit", rekognition.maxWaitForPermit());
        steps.put("DetectLabels", timeouts.rekognitionApiCall());
        steps.put("DetectModerationLabels permit", rekognition.maxWaitForPermit());
        steps.put("DetectModerationLabels", timeouts.rekognitionApiCall());
        steps.put("SQS send", batched());
        return steps;
    }

    /** What one metadata message may take: store it (or dead-letter it). Then its delete. */
    Map<String, Duration> metadataSteps() {
        Map<String, Duration> steps = new LinkedHashMap<>();
        steps.put("DynamoDB write or SQS send", max(timeouts.dynamodbApiCall(), timeouts.apiCall()));
        return steps;
    }

    /**
     * A batched SQS call ({@link AwsBatches}): a request may wait for the call in flight, then goes with the
     * next; each within the SQS call limit. The delete of a message whose work is done is one.
     */
    Duration batched() {
        return timeouts.apiCall().multipliedBy(2);
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        List<String> problems = Stream.of(
                        budget(camelContext.getEndpoint("{{digiads.endpoints.events-queue}}"), eventSteps(), batched()),
                        budget(camelContext.getEndpoint("{{digiads.endpoints.metadata-in}}"), metadataSteps(), batched()))
                .flatMap(Optional::stream)
                .peek(budget -> LOG.info("{}: {} a receive, each held at most {} s; visibility timeout {} s, extended",
                        budget.queue(), budget.batch(), budget.worstPerMessage().toMillis() / 1000.0,
                        budget.visibilityTimeout().toSeconds()))
                .flatMap(budget -> budget.problems().stream())
                .toList();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("SQS consumer settings would let messages in work become visible again: "
                    + String.join("; ", problems));
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
    }

    /** The budget of an SQS endpoint's consumer (Camel takes at least one message a poll, more than 10 in several receives). */
    static Optional<VisibilityBudget> budget(Endpoint endpoint, Map<String, Duration> steps, Duration acknowledgement) {
        if (!(endpoint instanceof Sqs2Endpoint sqs)) {
            return Optional.empty();
        }
        Sqs2Configuration config = sqs.getConfiguration();
        Integer visibility = config.getVisibilityTimeout();
        return Optional.of(new VisibilityBudget(config.getQueueName(),
                Math.max(1, sqs.getMaxMessagesPerPoll()), steps, acknowledgement,
                Duration.ofSeconds(visibility == null ? 0 : visibility), config.isExtendMessageVisibility()));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
