package routes;

import digiads.api.ImageRequests;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Operations;
import org.springframework.stereotype.Component;

/** DELETE /api/images/{imageId}: delete the object; its ObjectRemoved event then removes the metadata. */
@Component
public class DeleteImageRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:delete-image").routeId("delete-image").routeConfigurationId("api")
            .setProperty("image", method(ImageRequests.class, "ref"))
            .removeHeaders("*")
            .setHeader(AWS2S3Constants.S3_OPERATION, constant(AWS2S3Operations.deleteObject))
            .setHeader(AWS2S3Constants.KEY, simple("${exchangeProperty.image.key}"))
            .to("{{digiads.endpoints.images-bucket}}")
            .log("${exchangeProperty.image.imageId}: deleted")
            .to("direct:image-accepted");
    }
}
