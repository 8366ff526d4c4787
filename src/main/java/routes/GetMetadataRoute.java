package routes;

import digiads.api.ImageRequests;
import digiads.metadata.MetadataItemMapper;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.component.aws2.ddb.Ddb2Operations;
import org.springframework.stereotype.Component;

/**
 * getMetadata: GET /api/images/{imageId}/metadata reads the item from DynamoDB.
 * {@code direct:read-metadata} is the in-process read that getDigiAds shares; it has no error
 * handler of its own, so a missing item fails the calling route, which answers 404.
 */
@Component
public class GetMetadataRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:get-metadata").routeId("get-metadata").routeConfigurationId("api")
            .setBody(method(ImageRequests.class, "imageId"))
            .to("direct:read-metadata")
            .removeHeaders("*")
            .marshal().json();

        from("direct:read-metadata").routeId("read-metadata").errorHandler(noErrorHandler())
            .setHeader(Ddb2Constants.OPERATION, constant(Ddb2Operations.GetItem))
            .setHeader(Ddb2Constants.CONSISTENT_READ, constant(true))
            .setHeader(Ddb2Constants.KEY, method(MetadataItemMapper.class, "key"))
            .to("{{digiads.endpoints.metadata-table}}")
            .setBody(method(MetadataItemMapper.class, "stored"));
    }
}
