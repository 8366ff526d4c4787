package routes;

import digiads.aws.AwsBatches;
import digiads.aws.FailedMessages;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.springframework.stereotype.Component;

/**
 * What happens to a message of an SQS consumer's route once its exchange is over (the routes opt in with
 * {@code routeConfigurationId("queue-consumer")}; their endpoints do not delete, {@code deleteAfterRead=false}):
 * a completed exchange (its work done, or the message dead-lettered) hands the message to a
 * DeleteMessageBatch ({@link AwsBatches#acknowledge}); a failed one is never deleted and comes back after
 * its retry backoff ({@link FailedMessages#retryLater}), then goes to the queue's DLQ.
 */
@Component
public class QueueConsumerRouteConfiguration extends RouteConfigurationBuilder {

    /** The id the SQS consumers' routes name. */
    public static final String ID = "queue-consumer";

    @Override
    public void configuration() {
        RouteConfigurationDefinition consumer = routeConfiguration(ID);
        consumer.onCompletion().onCompleteOnly().modeBeforeConsumer()
            .bean(AwsBatches.class, "acknowledge");
        consumer.onCompletion().onFailureOnly().modeBeforeConsumer()
            .bean(FailedMessages.class, "retryLater");
    }
}
