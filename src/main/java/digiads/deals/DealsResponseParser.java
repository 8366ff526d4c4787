package digiads.deals;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.springframework.stereotype.Component;

/**
 * Reads {@code {"deals":[{"id","title","price","currency","merchant","url"}]}} strictly: an HTML
 * error page, malformed JSON or a field of the wrong type is a {@link DealsApiException}, so the
 * circuit breaker counts it as the failure it is.
 */
@Component
public class DealsResponseParser {

    private final ObjectReader reader;

    public DealsResponseParser(ObjectMapper mapper) {
        // prices stay exactly as sent: 19.90 is not 19.9, nor a double
        this.reader = mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(JsonNodeFactory.withExactBigDecimals(true));
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
        for (JsonNode deal : root.get("deals")) {
            deals.add(deal(deal, deals.size()));
        }
        return deals;
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
