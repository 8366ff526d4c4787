package digiads.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Whether an SQS consumer's settings let a message become visible again while this instance still
 * holds it. A consumer receives up to {@code batch} messages at once and works through them one by
 * one; the last waits for the others. Each message's work is a fixed list of steps, each bounded by
 * its own time limit (the AWS clients' api-call timeouts, the Rekognition permit wait); a message
 * whose work is done is then acknowledged (deleted) without holding up the next one, so the worst case of
 * a batch is {@code batch × the sum of the steps + the acknowledgement} of the last. Two rules keep a message hidden for as
 * long as it is in work or waiting:
 * <ul>
 *   <li>the batch's worst case fits in the visibility timeout the consumer receives with, so no
 *       message expires even when no extension gets through;</li>
 *   <li>the consumer extends the visibility of what it holds (Camel's extendMessageVisibility), so
 *       work slower than the steps' limits (a long GC pause, a stalled host) is covered too.</li>
 * </ul>
 *
 * @param queue             the queue's name, for the messages
 * @param batch             messages received at once (maxMessagesPerPoll), worked through one by one
 * @param steps             what one message's work may take, step by step, in order
 * @param acknowledgement   what its delete may take once its work is done
 * @param visibilityTimeout what the consumer receives with and extends by
 * @param extended          whether the consumer extends the visibility of the messages it holds
 */
public record VisibilityBudget(String queue, int batch, Map<String, Duration> steps, Duration acknowledgement,
                               Duration visibilityTimeout, boolean extended) {

    public VisibilityBudget {
        steps = new LinkedHashMap<>(steps);
    }

    /** The longest one message's work may take: every step at its limit. */
    public Duration worstPerMessage() {
        return steps.values().stream().reduce(Duration.ZERO, Duration::plus);
    }

    /** The longest the last message of a full batch may be held: it waits for all the others, then its delete. */
    public Duration worstPerBatch() {
        return worstPerMessage().multipliedBy(batch).plus(acknowledgement);
    }

    /** What is wrong with these settings; empty when they keep every held message hidden. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (batch < 1) {
            problems.add(queue + ": a consumer takes at least one message at a time, not " + batch);
        }
        if (worstPerBatch().compareTo(visibilityTimeout) > 0) {
            problems.add(queue + ": a batch of " + batch + " may be held " + worstPerBatch().toMillis() / 1000.0
                    + " s (" + batch + " × " + describeSteps() + " + SQS delete " + acknowledgement.toMillis() / 1000.0
                    + " s), longer than the visibility timeout of "
                    + visibilityTimeout.toSeconds() + " s: raise the timeout or take fewer messages a receive");
        }
        if (!extended) {
            problems.add(queue + ": the consumer must extend the visibility of the messages it holds");
        }
        return problems;
    }

    private String describeSteps() {
        return steps.entrySet().stream()
                .map(step -> step.getKey() + " " + step.getValue().toMillis() / 1000.0 + " s")
                .collect(Collectors.joining(" + ", "(", ")"));
    }
}
