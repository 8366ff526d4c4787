package routes;

import digiads.api.ImageRequests;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.springframework.stereotype.Component;

/**
 * POST /api/images: store the image in the bucket under the image prefix; S3 then notifies the pipeline.
 * The body stays Camel's stream cache of the request (at most the limit + 1 bytes were read, spooled to
 * a temporary file above the threshold): its length is checked and given to S3, which streams it.
 */
@Component
public class UploadImageRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:upload-image").routeId("upload-image").routeConfigurationId("api")
            .bean(ImageRequests.class, "checkUpload")
            .setProperty("image", method(ImageRequests.class, "target"))
            .setProperty("contentType", header(Exchange.CONTENT_TYPE))
            .setProperty("size", method(ImageRequests.class, "size"))
            .removeHeaders("*")
            .setHeader(AWS2S3Constants.KEY, simple("${exchangeProperty.image.key}"))
            .setHeader(AWS2S3Constants.CONTENT_TYPE, exchangeProperty("contentType"))
            .setHeader(AWS2S3Constants.CONTENT_LENGTH, exchangeProperty("size"))
            .to("{{digiads.endpoints.images-bucket}}")
            .log("${exchangeProperty.image.imageId}: uploaded, ${header.CamelAwsS3ContentLength} bytes")
            .to("direct:image-accepted");
    }
}
