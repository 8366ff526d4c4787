package routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import digiads.metadata.ImageMetadata;
import digiads.metadata.MetadataItemMapper;
import digiads.ops.PipelineMetrics;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.component.aws2.ddb.Ddb2Operations;
import org.springframework.stereotype.Component;

/**
 * addMetadata: metadata messages → DynamoDB items (PutItem of the whole item, so a redelivered
 * message writes the same item again). A message that is not metadata is dead-lettered with the reason.
 */
@Component
public class AddMetadataRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("{{digiads.endpoints.metadata-in}}").routeId("add-metadata")
            .onException(JsonProcessingException.class).handled(true).useOriginalMessage()
                .setHeader("DeadLetterReason", simple("not a metadata message: ${exception.message}"))
                .to("{{digiads.endpoints.metadata-dlq}}")
                .bean(PipelineMetrics.class, "deadLettered")
            .end()
            .unmarshal().json(ImageMetadata.class)
            .setHeader(Ddb2Constants.OPERATION, constant(Ddb2Operations.PutItem))
            .setHeader(Ddb2Constants.ITEM, method(MetadataItemMapper.class, "toItem"))
            .to("{{digiads.endpoints.metadata-table}}")
            .log("${body.imageId}: metadata stored (${body.status})");
    }
}
