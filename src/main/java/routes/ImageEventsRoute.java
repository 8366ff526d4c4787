package routes;

import digiads.events.MalformedMessageException;
import digiads.events.S3EventParser;
import digiads.ops.DeadLetters;
import digiads.ops.PipelineMetrics;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.springframework.stereotype.Component;

/**
 * S3 event notifications (from S3, through SNS, or from EventBridge) → one exchange per image event.
 * Creations go to extract-metadata, removals (deletes, delete markers, lifecycle expirations) to
 * delete-metadata, every record of a message in turn. A message with nothing to do (S3's test event,
 * an SNS confirmation, an EventBridge event of another type) is logged and acknowledged. The SQS
 * message is deleted only when all its records succeeded; a failure leaves it for redelivery after its retry backoff (then the
 * queue's DLQ). A message that is no S3 event at all is dead-lettered at once, with the reason.
 */
@Component
public class ImageEventsRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("{{digiads.endpoints.events-queue}}").routeId("image-events").routeConfigurationId(QueueConsumerRouteConfiguration.ID)
            .shutdownRunningTask(QueueConsumerRouteConfiguration.SHUTDOWN)
            .onException(MalformedMessageException.class).handled(true).useOriginalMessage()
                .setHeader(DeadLetters.SOURCE, header(Sqs2Constants.MESSAGE_ID))
                .setHeader(DeadLetters.REASON, simple("${exception.message}"))
                .to("{{digiads.endpoints.events-dlq}}")
                .bean(PipelineMetrics.class, "deadLettered")
            .end()
            .bean(S3EventParser.class)
            .filter(simple("${body.acknowledgeOnly}"))
                .log("Acknowledged, nothing to do: ${body.nothingToDo}")
            .end()
            .split(simple("${body.events}")).stopOnException()
                .setProperty("imageId", simple("${body.imageId}"))
                .setProperty("eventName", simple("${body.eventName}"))
                .choice()
                    .when(simple("${body.kind} == 'CREATED'"))
                        .to("direct:extract-metadata")
                    .when(simple("${body.kind} == 'REMOVED'"))
                        .to("direct:delete-metadata")
                    .otherwise()
                        .log("${body.imageId}: ignoring ${body.eventName}")
                .end()
            .end();
    }
}
