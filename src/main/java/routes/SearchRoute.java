package routes;

import digiads.labels.LabelSearch;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Find images by label: {@code GET /api/images?label=} reads a page of the label index, newest first;
 * {@code GET /api/labels} a page of the labels with their image counts ({@link LabelSearch}). The index
 * is written with each state of an image, in the same transaction ({@code StateWriter}).
 */
@Component
public class SearchRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:find-images").routeId("find-images").routeConfigurationId("api")
            .setBody(method(LabelSearch.class, "images"))
            .removeHeaders("*")
            .marshal().json();

        from("direct:list-labels").routeId("list-labels").routeConfigurationId("api")
            .setBody(method(LabelSearch.class, "labels"))
            .removeHeaders("*")
            .marshal().json();
    }
}
