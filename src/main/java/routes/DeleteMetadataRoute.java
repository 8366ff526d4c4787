package routes;

import digiads.metadata.MetadataItemMapper;
import digiads.ops.PipelineMetrics;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.component.aws2.ddb.Ddb2Operations;
import org.springframework.stereotype.Component;

/** deleteMetadata: an image's object was removed → its metadata item goes too (deleting twice is harmless). */
@Component
public class DeleteMetadataRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:delete-metadata").routeId("delete-metadata")
            .setBody(simple("${body.imageId}"))
            .setHeader(Ddb2Constants.OPERATION, constant(Ddb2Operations.DeleteItem))
            .setHeader(Ddb2Constants.KEY, method(MetadataItemMapper.class, "key"))
            .to("{{digiads.endpoints.metadata-table}}")
            .bean(PipelineMetrics.class, "deleted");
    }
}
