package digiads.deals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import digiads.DigiadsProperties;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.springframework.stereotype.Component;

/**
 * Shapes the exchange into {@code GET /deals?q={label}&limit={n}} with the API key, and nothing
 * else: every header that came with the exchange (the client's request headers, CamelHttp* ones
 * that would redirect the call) is dropped first.
 */
@Component
public class DealsRequest {

    private final DigiadsProperties.Deals deals;

    public DealsRequest(DigiadsProperties properties) {
        this.deals = properties.deals();
    }

    public void prepare(@ExchangeProperty("label") String label, Exchange exchange) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(null);
        // the http component's own type: a String here is converted again on every call (its enum converter
        // is a fallback Camel looks up each time, about a tenth of a cold getDigiAds' CPU)
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.GET);
        message.setHeader(Exchange.HTTP_QUERY, "q=" + URLEncoder.encode(label, StandardCharsets.UTF_8)
                + "&limit=" + deals.limit());
        message.setHeader("Accept", "application/json");
        if (deals.apiKey() != null && !deals.apiKey().isBlank()) {
            message.setHeader(deals.apiKeyHeader(), deals.apiKey());
        }
    }
}
