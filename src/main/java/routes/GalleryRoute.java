package routes;

import digiads.api.ImageRequests;
import digiads.gallery.Gallery;
import digiads.metadata.MetadataItemMapper;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.component.aws2.ddb.Ddb2Operations;
import org.springframework.stereotype.Component;

/**
 * The gallery: GET /api/gallery lists recent images, newest first, from the table's gallery index
 * (one Query); GET /api/images/{imageId}/picture answers where to GET an image's picture (a presigned
 * S3 URL) when the image has metadata.
 */
@Component
public class GalleryRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:list-images").routeId("list-images").routeConfigurationId("api")
            .setHeader(Ddb2Constants.LIMIT, method(Gallery.class, "limit"))
            .setHeader(Ddb2Constants.OPERATION, constant(Ddb2Operations.Query))
            .setHeader(Ddb2Constants.INDEX_NAME, constant(MetadataItemMapper.RECENT_INDEX))
            .setHeader(Ddb2Constants.KEY_CONDITIONS, method(Gallery.class, "keyConditions"))
            .setHeader(Ddb2Constants.SCAN_INDEX_FORWARD, constant(false))
            .to("{{digiads.endpoints.metadata-table}}")
            .setBody(method(Gallery.class, "page"))
            .removeHeaders("*")
            .marshal().json();

        from("direct:get-picture").routeId("get-picture").routeConfigurationId("api")
            .setProperty("imageId", method(ImageRequests.class, "imageId"))
            .to("direct:read-metadata")
            .setBody(simple("${exchangeProperty.imageId}"))
            .setBody(method(Gallery.class, "picture"))
            .removeHeaders("*")
            .marshal().json();
    }
}
