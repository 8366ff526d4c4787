package digiads.deals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import digiads.DigiadsProperties;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The Deals API call carries the label, the limit and the API key, and nothing the client sent. */
class DealsRequestTest {

    private static DealsRequest request(String apiKey) {
        return new DealsRequest(new DigiadsProperties(null, null, null, null,
                new DigiadsProperties.Deals("http://deals", apiKey, "X-Api-Key", 3, 5, 10, 800, null, null, null),
                null, null));
    }

    private static Exchange clientRequest() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("Authorization", "Bearer secret");
        exchange.getMessage().setHeader("Cookie", "session=abc");
        exchange.getMessage().setHeader(Exchange.HTTP_URI, "http://elsewhere");
        exchange.getMessage().setBody("client body");
        return exchange;
    }

    @Test
    void onlyTheDealsQueryAndTheApiKeyAreSent() {
        Exchange exchange = clientRequest();

        request("k3y").prepare("Sun & Sea/ü", exchange);

        assertThat(exchange.getMessage().getHeaders()).containsOnly(
                Map.entry(Exchange.HTTP_METHOD, HttpMethods.GET),
                Map.entry(Exchange.HTTP_QUERY, "q=Sun+%26+Sea%2F%C3%BC&limit=5"),
                Map.entry("Accept", "application/json"),
                Map.entry("X-Api-Key", "k3y"));
        assertThat(exchange.getMessage().getBody()).isNull();
    }

    @Test
    void withoutAnApiKeyNoKeyHeaderIsSent() {
        for (String none : new String[] {null, " "}) {
            Exchange exchange = clientRequest();
            request(none).prepare("Beach", exchange);
            assertThat(exchange.getMessage().getHeaders()).containsOnlyKeys(
                    Exchange.HTTP_METHOD, Exchange.HTTP_QUERY, "Accept");
        }
    }
}
