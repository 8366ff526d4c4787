package routes;

import digiads.api.UploadPresigner;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** POST /api/images/uploads: a presigned S3 PUT for an image; the client sends the bytes straight to S3. */
@Component
public class PresignUploadRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:presign-upload").routeId("presign-upload").routeConfigurationId("api")
            .setBody(method(UploadPresigner.class, "request"))
            .setBody(method(UploadPresigner.class, "presign"))
            .log("${body.imageId}: presigned upload until ${body.expiresAt}")
            .removeHeaders("*")
            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201))
            .marshal().json();
    }
}
