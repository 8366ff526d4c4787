package routes;

import digiads.events.MalformedMessageException;
import digiads.live.LiveConfig;
import digiads.live.LiveUpdates;
import digiads.metadata.MetadataMessages;
import digiads.metadata.OlderStateException;
import digiads.ops.DeadLetters;
import digiads.ops.PipelineMetrics;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.springframework.stereotype.Component;

/**
 * addMetadata: metadata messages → DynamoDB items. {@code direct:store-state} is the one write of
 * an image's state, shared with deleteMetadata's tombstones: one transaction ({@code StateWriter})
 * that puts the whole item when the image has no item yet, or when the stored one is not newer (by its
 * order token), and moves the image's label index with it. An older event thus never overwrites a
 * newer state nor the index (logged, not an error), and a redelivered one writes the same item again. A message of
 * any minor version of our major version is stored, with the fields this instance does not know (see
 * {@link MetadataMessages}); a message of a newer major version, or one that is not metadata, is
 * dead-lettered with the reason. A state that was stored is told to every instance's open streams
 * (publish-update, wire-tapped: it never delays nor fails the write).
 */
@Component
public class AddMetadataRoute extends RouteBuilder {

    private final LiveConfig.PublishPool publishPool;

    public AddMetadataRoute(LiveConfig.PublishPool publishPool) {
        this.publishPool = publishPool;
    }

    @Override
    public void configure() {
        from("{{digiads.endpoints.metadata-in}}").routeId("add-metadata").routeConfigurationId(QueueConsumerRouteConfiguration.ID)
            .shutdownRunningTask(QueueConsumerRouteConfiguration.SHUTDOWN)
            .onException(MalformedMessageException.class).handled(true).useOriginalMessage()
                .setHeader(DeadLetters.SOURCE, header(Sqs2Constants.MESSAGE_ID))
                .setHeader(DeadLetters.REASON, simple("${exception.message}"))
                .to("{{digiads.endpoints.metadata-dlq}}")
                .bean(PipelineMetrics.class, "deadLettered")
            .end()
            .bean(MetadataMessages.class, "read")
            .to("direct:store-state");

        from("direct:store-state").routeId("store-state").errorHandler(noErrorHandler())
            .doTry()
                .to("{{digiads.endpoints.state-writes}}")
                .setProperty("update", method(LiveUpdates.class, "stored"))
                .wireTap("direct:publish-update").executorService(publishPool.executor()).end()
            .doCatch(OlderStateException.class)
                .log("${body.imageId}: a newer state is stored; this older ${body.status} changes nothing")
            .end();
    }
}
