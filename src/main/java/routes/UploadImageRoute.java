package routes;

import digiads.api.ImageRequests;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.springframework.stereotype.Component;

/** POST /api/images: store the image in the bucket under the image prefix; S3 then notifies the pipeline. */
@Component
public class UploadImageRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:upload-image").routeId("upload-image").routeConfigurationId("api")
            .bean(ImageRequests.class, "checkUpload")
            .setProperty("image", method(ImageRequests.class, "target"))
            .setProperty("contentType", header(Exchange.CONTENT_TYPE))
            .setBody(method(ImageRequests.class, "body"))
            .removeHeaders("*")
            .setHeader(AWS2S3Constants.KEY, simple("${exchangeProperty.image.key}"))
            .setHeader(AWS2S3Constants.CONTENT_TYPE, exchangeProperty("contentType"))
            .setHeader(AWS2S3Constants.CONTENT_LENGTH, simple("${body.length}"))
            .to("{{digiads.endpoints.images-bucket}}")
            .log("${exchangeProperty.image.imageId}: uploaded, ${header.CamelAwsS3ContentLength} bytes")
            .to("direct:image-accepted");
    }
}
