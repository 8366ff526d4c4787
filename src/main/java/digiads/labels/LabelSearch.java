package digiads.labels;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import digiads.api.ApiException;
import digiads.brandsafety.BrandSafetyPolicy;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The reads of the label index: the images carrying a label, newest first ({@code GET /api/images?label=}),
 * and the labels with the number of images carrying each ({@code GET /api/labels}), a page at a time
 * with an opaque cursor. Each page is a few Queries of {@code limit} items per shard ({@link ShardMerge}):
 * its cost follows the page, not the table. The index is read eventually consistent, as a search may
 * be: a state written a moment ago may show a moment later.
 */
@Component
public class LabelSearch {

    /** Queries one page may make: a few rounds over the shards when a minConfidence filter passes few items. */
    static final int MAX_READS = 4 * LabelIndex.SHARDS;

    private final DynamoDbClient dynamo;
    private final String table;
    private final int defaultLimit;
    private final int maxLimit;
    private final BrandSafetyPolicy policy;

    public LabelSearch(DynamoDbClient dynamo, @Value("${digiads.dynamodb.labels-table}") String table,
                       @Value("${digiads.search.default-limit}") int defaultLimit,
                       @Value("${digiads.search.max-limit}") int maxLimit, BrandSafetyPolicy policy) {
        if (defaultLimit < 1 || defaultLimit > maxLimit) {
            throw new IllegalStateException("digiads.search.default-limit must be 1 to digiads.search.max-limit ("
                    + maxLimit + "), not " + defaultLimit);
        }
        this.dynamo = dynamo;
        this.table = table;
        this.defaultLimit = defaultLimit;
        this.maxLimit = maxLimit;
        this.policy = policy;
    }

    public ImagePage images(@Header("label") String label, @Header("minConfidence") String minConfidence,
                            @Header("limit") String limit, @Header("cursor") String cursor) {
        String normalized = LabelNames.normalize(label);
        if (normalized == null) {
            throw ApiException.badRequest("label is required: GET /api/images?label=Dog");
        }
        if (normalized.length() > LabelNames.MAX_LENGTH) {
            throw ApiException.badRequest("label is longer than " + LabelNames.MAX_LENGTH + " characters");
        }
        Float min = minConfidence(minConfidence);
        int size = limit(limit);
        ShardMerge.Page<ImageHit> page = ShardMerge.page(SearchCursor.decode(cursor, normalized), size, MAX_READS, true,
                item -> item.get(LabelIndex.SK).s(),
                (shard, after, n) -> read(LabelIndex.partition(normalized, shard), after, n, false, min),
                group -> LabelIndex.hit(group.get(0), policy));
        return new ImagePage(normalized, page.items(), page.next() == null ? null : page.next().encode());
    }

    public LabelPage labels(@Header("limit") String limit, @Header("cursor") String cursor) {
        int size = limit(limit);
        ShardMerge.Page<LabelCount> page = ShardMerge.page(SearchCursor.decode(cursor, ""), size, MAX_READS, false,
                item -> item.get(LabelIndex.SK).s(),
                (shard, after, n) -> read(LabelIndex.countPartition(shard), after, n, true, null),
                LabelSearch::count);
        return new LabelPage(page.items(), page.next() == null ? null : page.next().encode());
    }

    /** A label's count over the shards that have it; null (left out) when no image carries it any more. */
    static LabelCount count(List<Map<String, AttributeValue>> shards) {
        long images = 0;
        String name = null;
        for (Map<String, AttributeValue> item : shards) {
            AttributeValue count = item.get(LabelIndex.IMAGES);
            images += count == null ? 0 : Long.parseLong(count.n());
            String itsName = LabelIndex.string(item, LabelIndex.NAME);
            name = name == null ? itsName : name;
        }
        return images > 0 ? new LabelCount(shards.get(0).get(LabelIndex.SK).s(), name, images) : null;
    }

    private ShardMerge.Chunk<Map<String, AttributeValue>> read(String partition, String after, int limit,
                                                               boolean forward, Float minConfidence) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", LabelIndex.PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", AttributeValue.fromS(partition)));
        QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                .keyConditionExpression("#pk = :pk")
                .scanIndexForward(forward)
                .limit(limit);
        if (minConfidence != null) {
            names.put("#confidence", LabelIndex.CONFIDENCE);
            values.put(":min", AttributeValue.fromN(Float.toString(minConfidence)));
            query.filterExpression("#confidence >= :min");
        }
        if (after != null) {
            query.exclusiveStartKey(Map.of(LabelIndex.PK, AttributeValue.fromS(partition),
                    LabelIndex.SK, AttributeValue.fromS(after)));
        }
        QueryResponse response = dynamo.query(query.expressionAttributeNames(names).expressionAttributeValues(values).build());
        Map<String, AttributeValue> last = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey() : null;
        return new ShardMerge.Chunk<>(response.items(), last == null ? null : last.get(LabelIndex.SK).s());
    }

    /** The page size asked for: the default when absent, 1 to the maximum. */
    int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return defaultLimit;
        }
        int size;
        try {
            size = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be a whole number from 1 to " + maxLimit);
        }
        if (size < 1 || size > maxLimit) {
            throw ApiException.badRequest("limit must be a whole number from 1 to " + maxLimit + ", not " + size);
        }
        return size;
    }

    /** The least confidence asked for, 0 to 100; null when absent. */
    static Float minConfidence(String minConfidence) {
        if (minConfidence == null || minConfidence.isBlank()) {
            return null;
        }
        float min;
        try {
            min = Float.parseFloat(minConfidence.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("minConfidence must be a number from 0 to 100");
        }
        if (!(min >= 0 && min <= 100)) {
            throw ApiException.badRequest("minConfidence must be a number from 0 to 100, not " + minConfidence.trim());
        }
        return min;
    }
}
