package digiads.deals;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import digiads.DigiadsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Reads {@code {"deals":[{"id","title","price","currency","merchant","url"}]}} strictly: an HTML
 * error page, malformed JSON or a field of the wrong type is a {@link DealsApiException}, so the
 * circuit breaker counts it as the failure it is. A well-formed deal whose link is not an absolute
 * URL of an allowed scheme ({@code digiads.deals.link-schemes}: https) is left out, and logged: the
 * third party's other deals still count.
 */
@Component
public class DealsResponseParser {

    private static final Logger LOG = LoggerFactory.getLogger(DealsResponseParser.class);

    private final ObjectReader reader;
    private final Set<String> linkSchemes;

    @Autowired
    public DealsResponseParser(ObjectMapper mapper, DigiadsProperties properties) {
        this(mapper, properties.deals().linkSchemes());
    }

    DealsResponseParser(ObjectMapper mapper, Set<String> linkSchemes) {
        // prices stay exactly as sent: 19.90 is not 19.9, nor a double
        this.reader = mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(JsonNodeFactory.withExactBigDecimals(true));
        this.linkSchemes = linkSchemes.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    public List<Deal> parse(String body) {
        JsonNode root;
        try {
            root = body == null ? null : reader.readTree(body);
        } catch (JsonProcessingException e) {
            throw new DealsApiException("Deals API answered malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("deals").isArray()) {
            throw new DealsApiException("Deals API answered no deals array");
        }
        List<Deal> deals = new ArrayList<>();
        int index = 0;
        for (JsonNode node : root.get("deals")) {
            Deal deal = deal(node, index++);
            if (linkAllowed(deal.url())) {
                deals.add(deal);
            } else {
                LOG.warn("Deal {} left out: its link is not an absolute {} URL", deal.id(), linkSchemes);
            }
        }
        return deals;
    }

    private boolean linkAllowed(String url) {
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && linkSchemes.contains(uri.getScheme().toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Deal deal(JsonNode node, int index) {
        if (!node.isObject()) {
            throw new DealsApiException("deal " + index + " is not an object");
        }
        JsonNode price = node.get("price");
        if (price == null || !price.isNumber()) {
            throw new DealsApiException("deal " + index + " has no numeric price");
        }
        return new Deal(text(node, "id", index), text(node, "title", index), price.decimalValue(),
                text(node, "currency", index), text(node, "merchant", index), text(node, "url", index));
    }

    private static String text(JsonNode node, String field, int index) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new DealsApiException("deal " + index + " has no " + field);
        }
        return value.asText();
    }
}
