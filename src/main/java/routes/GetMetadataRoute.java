package routes;

import digiads.api.ImageRequests;
import digiads.brandsafety.BrandSafetyPolicy;
import digiads.metadata.MetadataItemMapper;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.component.aws2.ddb.Ddb2Operations;
import org.springframework.stereotype.Component;

/**
 * getMetadata: GET /api/images/{imageId}/metadata reads the item from DynamoDB and answers it with the
 * image's brand-safety verdict, decided now from its moderation labels and the policy.
 * {@code direct:read-metadata} is the in-process read getDigiAds shares (404 when there is no
 * metadata, or only a tombstone); {@code direct:find-metadata} is the raw read the pipeline uses
 * (exchange property {@code imageId} in, {@code stored} out, body untouched). Neither has an error
 * handler of its own: a failure fails the calling route, which answers it.
 */
@Component
public class GetMetadataRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:get-metadata").routeId("get-metadata").routeConfigurationId("api")
            .setProperty("imageId", method(ImageRequests.class, "imageId"))
            .to("direct:read-metadata")
            .setBody(method(BrandSafetyPolicy.class, "withVerdict"))
            .removeHeaders("*")
            .marshal().json();

        from("direct:read-metadata").routeId("read-metadata").errorHandler(noErrorHandler())
            .to("direct:find-metadata")
            .setBody(method(MetadataItemMapper.class, "existing"));

        from("direct:find-metadata").routeId("find-metadata").errorHandler(noErrorHandler())
            .setHeader(Ddb2Constants.OPERATION, constant(Ddb2Operations.GetItem))
            .setHeader(Ddb2Constants.CONSISTENT_READ, constant(true))
            .setHeader(Ddb2Constants.KEY, method(MetadataItemMapper.class, "key"))
            .to("{{digiads.endpoints.metadata-table}}")
            .setProperty("stored", method(MetadataItemMapper.class, "found"))
            .removeHeaders("CamelAwsDdb*");
    }
}
