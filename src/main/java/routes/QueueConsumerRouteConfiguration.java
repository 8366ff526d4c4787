package routes;

import digiads.aws.AwsBatches;
import digiads.aws.FailedMessages;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.springframework.stereotype.Component;

/**
 * What happens to a message of an SQS consumer's route once its exchange is over (the routes opt in with
 * {@code routeConfigurationId("queue-consumer")}; their endpoints do not delete, {@code deleteAfterRead=false}):
 * a completed exchange (its work done, or the message dead-lettered) hands the message to a
 * DeleteMessageBatch ({@link AwsBatches#acknowledge}); a failed one is never deleted and comes back after
 * its retry backoff ({@link FailedMessages#retryLater}), then goes to the queue's DLQ.
 *
 * <p>At shutdown a consumer's route stops polling and finishes every message it received
 * ({@link #SHUTDOWN}, which the routes set): Camel's default ends the batch at the exchange in hand, and
 * a receive that returns while the route stops then starts none of its messages; they would stay hidden
 * for their visibility timeout. What is not finished within {@code camel.main.shutdown-timeout} goes back
 * to its queue at once ({@link digiads.aws.HeldMessages}).
 */
@Component
public class QueueConsumerRouteConfiguration extends RouteConfigurationBuilder {

    /** The id the SQS consumers' routes name. */
    public static final String ID = "queue-consumer";
    /** What an SQS consumer's route does with the messages it received when it stops: finish them all. */
    public static final ShutdownRunningTask SHUTDOWN = ShutdownRunningTask.CompleteAllTasks;

    @Override
    public void configuration() {
        RouteConfigurationDefinition consumer = routeConfiguration(ID);
        consumer.onCompletion().onCompleteOnly().modeBeforeConsumer()
            .bean(AwsBatches.class, "acknowledge");
        consumer.onCompletion().onFailureOnly().modeBeforeConsumer()
            .bean(FailedMessages.class, "retryLater");
    }
}
