package digiads.live;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * This instance's own queue of image updates: created once the application is ready, with a policy
 * that lets the updates topic (and nothing else) send to it, subscribed to the topic with raw message
 * delivery, and then consumed ({@value LiveConfig#CONSUMER_ROUTE}). The subscription's filter policy
 * leaves out the updates this instance published itself (message attribute
 * {@value InstanceId#UPDATE_ORIGIN} = its id): its own streams hear them in process, so its queue carries
 * only the other instances' updates. An update without the attribute (published by a release before
 * it) still comes through. At shutdown, after Camel stopped
 * consuming, the subscription and the queue are deleted. Creating them never holds up the start: it
 * runs in the background and is tried again every {@code retry-every} while AWS does not answer, and
 * the app serves its API meanwhile (streams then hear of no change; readers read the state).
 *
 * <p>A killed instance cannot delete its queue: it stays, subscribed, and keeps at most the last
 * {@value #RETENTION_SECONDS} seconds of updates.
 */
@Component
@ConditionalOnProperty(name = "digiads.live.updates.subscribe", havingValue = "true", matchIfMissing = true)
public class UpdatesSubscription implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(UpdatesSubscription.class);
    /** Updates are of use for seconds: an orphaned queue holds no more than this. */
    static final int RETENTION_SECONDS = 300;

    private final SqsClient sqs;
    private final SnsClient sns;
    private final CamelContext camel;
    private final ObjectMapper json;
    private final String topicArn;
    private final String queueName;
    private final String origin;
    private final Duration retryEvery;
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile String queueUrl;
    private volatile String subscriptionArn;
    private Thread worker;

    public UpdatesSubscription(SqsClient sqs, SnsClient sns, CamelContext camel, ObjectMapper json, LiveProperties live) {
        this.sqs = sqs;
        this.sns = sns;
        this.camel = camel;
        this.json = json;
        this.topicArn = live.updates().topicArn();
        this.queueName = live.updates().queueName();
        this.origin = live.updates().origin();
        this.retryEvery = live.updates().retryEvery();
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (event.getApplicationContext().getParent() == null) {
            start();
        }
    }

    /** Creates and subscribes the queue in the background, then starts consuming it. */
    public synchronized void start() {
        if (worker == null) {
            worker = new Thread(this::subscribe, "updates-subscribe");
            worker.setDaemon(true);
            worker.start();
        }
    }

    private void subscribe() {
        while (!stopping) {
            try {
                create();
                while (!camel.getStatus().isStarted() && !stopping) {
                    Thread.sleep(100); // the consumer starts with the routes, not before them
                }
                camel.getRouteController().startRoute(LiveConfig.CONSUMER_ROUTE);
                LOG.info("Live updates: queue {} subscribed to {}", queueName, topicArn);
                subscribed.countDown();
                return;
            } catch (Exception e) {
                LOG.warn("Live updates: could not subscribe queue {} to {} yet ({}); trying again in {}", queueName,
                        topicArn, e.toString(), retryEvery);
                try {
                    Thread.sleep(retryEvery.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void create() throws Exception {
        if (queueUrl == null) {
            queueUrl = sqs.createQueue(b -> b.queueName(queueName).attributes(Map.of(
                    QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(RETENTION_SECONDS),
                    QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "true"))).queueUrl();
        }
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String policy = policy(queueArn, topicArn);
        sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(Map.of(QueueAttributeName.POLICY, policy)));
        if (subscriptionArn == null) {
            String filter = filterPolicy(origin);
            subscriptionArn = sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                    .attributes(Map.of("RawMessageDelivery", "true", "FilterPolicy", filter))
                    .returnSubscriptionArn(true)).subscriptionArn();
        }
    }

    /** Updates of every instance but this one, and those that name no instance (an earlier release's). */
    String filterPolicy(String instance) throws Exception {
        return json.writeValueAsString(Map.of(InstanceId.UPDATE_ORIGIN, java.util.List.of(
                Map.of("exists", false),
                Map.of("anything-but", java.util.List.of(instance)))));
    }

    /** Only the updates topic may send to the queue. */
    String policy(String queueArn, String topic) throws Exception {
        return json.writeValueAsString(Map.of(
                "Version", "2012-10-17",
                "Statement", java.util.List.of(Map.of(
                        "Sid", "UpdatesTopicOnly",
                        "Effect", "Allow",
                        "Principal", Map.of("Service", "sns.amazonaws.com"),
                        "Action", "sqs:SendMessage",
                        "Resource", queueArn,
                        "Condition", Map.of("ArnEquals", Map.of("aws:SourceArn", topic))))));
    }

    /** Waits until the queue is subscribed and consumed; false when it is not within the time. */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        return subscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String queueUrl() {
        return queueUrl;
    }

    public String subscriptionArn() {
        return subscriptionArn;
    }

    /** After Camel stopped consuming: the subscription and the queue go. */
    @Override
    public void destroy() {
        stopping = true;
        Thread running = worker;
        if (running != null) {
            running.interrupt();
        }
        if (subscriptionArn != null) {
            try {
                sns.unsubscribe(b -> b.subscriptionArn(subscriptionArn));
            } catch (Exception e) {
                LOG.warn("Live updates: could not unsubscribe {}: {}", subscriptionArn, e.toString());
            }
        }
        if (queueUrl != null) {
            try {
                sqs.deleteQueue(b -> b.queueUrl(queueUrl));
                LOG.info("Live updates: queue {} deleted", queueName);
            } catch (Exception e) {
                LOG.warn("Live updates: could not delete queue {}: {}", queueName, e.toString());
            }
        }
    }
}
