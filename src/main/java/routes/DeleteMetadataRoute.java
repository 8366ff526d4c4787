package routes;

import digiads.metadata.ImageProbe;
import digiads.ops.PipelineMetrics;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * deleteMetadata: an image's object was removed → its metadata gives way to a tombstone (kept for
 * the tombstone TTL, so a late ObjectCreated cannot bring it back). If the object is there again it
 * was re-uploaded, and that upload's own event decides the metadata: nothing is deleted.
 */
@Component
public class DeleteMetadataRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:delete-metadata").routeId("delete-metadata")
            .choice()
                .when(method(ImageProbe.class, "exists"))
                    .bean(PipelineMetrics.class, "superseded")
                .otherwise()
                    .setBody(simple("${body.tombstone}"))
                    .to("direct:store-state")
                    .bean(PipelineMetrics.class, "deleted")
            .end();
    }
}
