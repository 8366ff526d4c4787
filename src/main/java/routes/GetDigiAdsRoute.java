package routes;

import digiads.api.ImageRequests;
import digiads.deals.DealsConfig;
import digiads.deals.DigiAdsAssembler;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * getDigiAds: GET /api/images/{imageId}/digiads. The image's labels come from the same in-process
 * read as getMetadata; deals for its top labels come from the cache while fresh, and the others are
 * looked up in parallel, on virtual threads of their own, within one time budget. Whatever has not answered by then is dropped and covered from the cache, so a
 * slow or failing Deals API costs the client at most the budget and never an error. An image the
 * brand-safety policy finds UNSAFE, or one without a verdict, has no labels to look up: no Deals call,
 * no deal (see {@link DigiAdsAssembler}).
 */
@Component
public class GetDigiAdsRoute extends RouteBuilder {

    private final DealsConfig.LookupPool lookupPool;

    public GetDigiAdsRoute(DealsConfig.LookupPool lookupPool) {
        this.lookupPool = lookupPool;
    }

    @Override
    public void configure() {
        from("direct:get-digiads").routeId("get-digiads").routeConfigurationId("api")
            .setProperty("imageId", method(ImageRequests.class, "imageId"))
            .to("direct:read-metadata")
            .setProperty("metadata", body())
            .split(method(DigiAdsAssembler.class, "labelsWithoutFreshDeals"), AggregationStrategies.groupedBody())
                .parallelProcessing().executorService(lookupPool.executor())
                .timeout("{{digiads.deals.budget-millis}}")
                .to("direct:deals-for-label")
            .end()
            .setBody(method(DigiAdsAssembler.class, "assemble"))
            .removeHeaders("*")
            .marshal().json();
    }
}
