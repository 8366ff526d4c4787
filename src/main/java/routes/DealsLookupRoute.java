package routes;

import digiads.deals.DealsCache;
import digiads.deals.DealsRequest;
import digiads.deals.DealsResponseParser;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Deals for one label: a fresh cache entry if there is one; otherwise the Deals API behind the
 * circuit breaker and bulkhead, with cached deals (of any age) or none as the fallback. Every
 * failure of the Deals API (error status, timeout, garbage, open breaker, full bulkhead) ends in the
 * fallback; nothing escapes to the caller.
 */
@Component
public class DealsLookupRoute extends RouteBuilder {

    private final int bulkhead;

    public DealsLookupRoute(@Value("${digiads.deals.bulkhead-max-concurrent-calls}") int bulkhead) {
        this.bulkhead = bulkhead;
    }

    @Override
    public void configure() {
        from("direct:deals-for-label").routeId("deals-for-label")
            .setProperty("label", body())
            .setBody(method(DealsCache.class, "fresh"))
            .filter(body().isNull())
                .circuitBreaker()
                    .resilience4jConfiguration()
                        .circuitBreaker("dealsCircuitBreaker")
                        .bulkheadEnabled(true)
                        .bulkheadMaxConcurrentCalls(bulkhead)
                        .bulkheadMaxWaitDuration(0)
                    .end()
                    .bean(DealsRequest.class, "prepare")
                    .to("{{digiads.endpoints.deals-api}}")
                    .convertBodyTo(String.class)
                    .setBody(method(DealsResponseParser.class, "parse"))
                    .setBody(method(DealsCache.class, "put"))
                .onFallback()
                    .log("Deals for '${exchangeProperty.label}' from the fallback: ${exception.message}")
                    .setBody(method(DealsCache.class, "fallback"))
                .end()
            .end();
    }
}
