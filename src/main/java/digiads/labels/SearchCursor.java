package digiads.labels;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import digiads.api.ApiException;

/**
 * Where a paginated read goes on: per shard the sort key after which it continues (null: from the
 * start), or that the shard is read to its end. Given to clients as an opaque string (base64url of a
 * small JSON document) bound to the query it belongs to (the normalized label; "" for the label list),
 * so a cursor of another query, or anything that is no cursor this API gave, is a 400.
 */
public record SearchCursor(String query, List<String> after, List<Boolean> done) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    public SearchCursor {
        Objects.requireNonNull(query, "query");
        if (after.size() != LabelIndex.SHARDS || done.size() != LabelIndex.SHARDS) {
            throw new IllegalArgumentException("a cursor has a position for each of the " + LabelIndex.SHARDS + " shards");
        }
        after = Collections.unmodifiableList(new ArrayList<>(after));
        done = List.copyOf(done);
    }

    /** The start of a read: every shard from its first item. */
    public static SearchCursor start(String query) {
        return new SearchCursor(query, Collections.nCopies(LabelIndex.SHARDS, null),
                Collections.nCopies(LabelIndex.SHARDS, false));
    }

    /** Whether every shard is read to its end: there is no next page. */
    public boolean finished() {
        return !done.contains(false);
    }

    public String encode() {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", VERSION);
        node.put("q", query);
        ArrayNode positions = node.putArray("s");
        for (int shard = 0; shard < LabelIndex.SHARDS; shard++) {
            if (done.get(shard)) {
                positions.add(false);
            } else {
                positions.add(after.get(shard));
            }
        }
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The cursor a client sent for this query; from the start when none was sent.
     *
     * @throws ApiException 400 for anything that is not a cursor this API gave for this query
     */
    public static SearchCursor decode(String cursor, String query) {
        if (cursor == null || cursor.isEmpty()) {
            return start(query);
        }
        JsonNode node;
        try {
            node = JSON.readTree(Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII)));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw invalid();
        }
        if (node == null || node.path("v").asInt() != VERSION || !node.path("q").isTextual()
                || !query.equals(node.path("q").asText())) {
            throw invalid();
        }
        JsonNode positions = node.path("s");
        if (!positions.isArray() || positions.size() != LabelIndex.SHARDS) {
            throw invalid();
        }
        List<String> after = new ArrayList<>();
        List<Boolean> done = new ArrayList<>();
        for (JsonNode position : positions) {
            if (position.isBoolean() && !position.asBoolean()) {
                after.add(null);
                done.add(true);
            } else if (position.isNull() || position.isTextual() && !position.asText().isEmpty()) {
                after.add(position.isNull() ? null : position.asText());
                done.add(false);
            } else {
                throw invalid();
            }
        }
        return new SearchCursor(query, after, done);
    }

    private static ApiException invalid() {
        return ApiException.badRequest("cursor is not a cursor of this query: pass nextCursor of the previous page as it is");
    }
}
