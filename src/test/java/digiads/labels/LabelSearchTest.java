package digiads.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;

import digiads.api.ApiException;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** The search's parameters, the Queries it makes of each shard, and what it answers. */
class LabelSearchTest {

    private final DynamoDbClient dynamo = mock(DynamoDbClient.class);
    private final LabelSearch search = new LabelSearch(dynamo, "labels", 50, 100, LabelIndexTest.POLICY);

    @Test
    void aLabelIsReadNewestFirstFromEachShardAPageAtATime() {
        Map<String, AttributeValue> dog = LabelIndex.entriesOf(LabelIndexTest.labeled("a.jpg", "Dog", 90)).get(0).item();
        int shard = LabelIndex.shardOf("a.jpg");
        when(dynamo.query(any(QueryRequest.class))).thenAnswer(call -> {
            QueryRequest query = call.getArgument(0);
            boolean mine = query.expressionAttributeValues().get(":pk").s().equals(LabelIndex.partition("dog", shard));
            return QueryResponse.builder().items(mine ? List.of(dog) : List.of()).build();
        });

        ImagePage page = search.images(" DOG", null, null, null);

        assertThat(page.label()).isEqualTo("dog");
        assertThat(page.images()).containsExactly(LabelIndex.hit(dog, LabelIndexTest.POLICY));
        assertThat(page.nextCursor()).isNull();
        ArgumentCaptor<QueryRequest> queries = ArgumentCaptor.forClass(QueryRequest.class);
        verify(dynamo, times(LabelIndex.SHARDS)).query(queries.capture());
        assertThat(queries.getAllValues()).extracting(q -> q.expressionAttributeValues().get(":pk").s())
                .containsExactly("image#0#dog", "image#1#dog", "image#2#dog", "image#3#dog");
        QueryRequest query = queries.getAllValues().get(0);
        assertThat(query.tableName()).isEqualTo("labels");
        assertThat(query.keyConditionExpression()).isEqualTo("#pk = :pk");
        assertThat(query.expressionAttributeNames()).isEqualTo(Map.of("#pk", "pk"));
        assertThat(query.scanIndexForward()).isFalse();
        assertThat(query.limit()).isEqualTo(50);
        assertThat(query.filterExpression()).isNull();
        assertThat(query.hasExclusiveStartKey()).isFalse();
    }

    @Test
    void minConfidenceFiltersAndACursorContinuesAfterItsPositions() {
        when(dynamo.query(any(QueryRequest.class))).thenReturn(QueryResponse.builder()
                .lastEvaluatedKey(Map.of("pk", AttributeValue.fromS("x"), "sk", AttributeValue.fromS("000#next"))).build());
        String cursor = new SearchCursor("dog", java.util.Arrays.asList("000#a", null, null, null),
                List.of(false, true, true, true)).encode();

        ImagePage page = search.images("dog", "80.5", "2", cursor);

        ArgumentCaptor<QueryRequest> queries = ArgumentCaptor.forClass(QueryRequest.class);
        verify(dynamo, times(LabelSearch.MAX_READS)).query(queries.capture());
        QueryRequest first = queries.getAllValues().get(0);
        assertThat(first.filterExpression()).isEqualTo("#confidence >= :min");
        assertThat(first.expressionAttributeNames()).containsEntry("#confidence", "confidence");
        assertThat(first.expressionAttributeValues()).containsEntry(":min", AttributeValue.fromN("80.5"));
        assertThat(first.limit()).isEqualTo(2);
        assertThat(first.exclusiveStartKey()).isEqualTo(Map.of("pk", AttributeValue.fromS("image#0#dog"),
                "sk", AttributeValue.fromS("000#a")));
        assertThat(queries.getAllValues().get(1).exclusiveStartKey().get("sk").s()).isEqualTo("000#next");
        assertThat(page.images()).isEmpty();
        assertThat(SearchCursor.decode(page.nextCursor(), "dog").after().get(0)).isEqualTo("000#next");
    }

    @Test
    void labelsAreListedByNameWithTheirCountsSummedOverTheShards() {
        when(dynamo.query(any(QueryRequest.class))).thenAnswer(call -> {
            QueryRequest query = call.getArgument(0);
            String partition = query.expressionAttributeValues().get(":pk").s();
            int shard = partition.charAt(partition.length() - 1) - '0';
            List<Map<String, AttributeValue>> items = switch (shard) {
                case 0 -> List.of(count("cat", "Cat", 2), count("dog", "Dog", 1));
                case 1 -> List.of(count("dog", "dog", 3), count("gone", "Gone", 0));
                default -> List.of();
            };
            return QueryResponse.builder().items(items).build();
        });

        LabelPage page = search.labels(null, null);

        assertThat(page.labels()).containsExactly(new LabelCount("cat", "Cat", 2),
                new LabelCount("dog", "Dog", 4));
        assertThat(page.nextCursor()).isNull();
        ArgumentCaptor<QueryRequest> queries = ArgumentCaptor.forClass(QueryRequest.class);
        verify(dynamo, times(LabelIndex.SHARDS)).query(queries.capture());
        assertThat(queries.getAllValues()).extracting(q -> q.expressionAttributeValues().get(":pk").s())
                .containsExactly("count#0", "count#1", "count#2", "count#3");
        assertThat(queries.getAllValues().get(0).scanIndexForward()).isTrue();
    }

    @Test
    void aCountWithoutNameOrNumberStillCounts() {
        assertThat(LabelSearch.count(List.of(Map.of("sk", AttributeValue.fromS("x")), count("x", "X", 2))))
                .isEqualTo(new LabelCount("x", "X", 2));
        assertThat(LabelSearch.count(List.of(count("x", "X", 1), count("x", "x", -1)))).isNull();
    }

    @Test
    void badParametersAreBadRequests() {
        when(dynamo.query(any(QueryRequest.class))).thenReturn(QueryResponse.builder().build());
        for (String label : new String[] {null, "", "  "}) {
            assertBadRequest(() -> search.images(label, null, null, null), "label is required");
        }
        assertBadRequest(() -> search.images("x".repeat(LabelNames.MAX_LENGTH + 1), null, null, null), "longer than 200");
        search.images("x".repeat(LabelNames.MAX_LENGTH), null, null, null);
        for (String limit : new String[] {"0", "101", "-1", "ten", "1.5"}) {
            assertBadRequest(() -> search.images("dog", null, limit, null), "limit must be a whole number from 1 to 100");
            assertBadRequest(() -> search.labels(limit, null), "limit must be a whole number from 1 to 100");
        }
        for (String min : new String[] {"-0.1", "100.1", "NaN", "high", "Infinity"}) {
            assertBadRequest(() -> search.images("dog", min, null, null), "minConfidence must be a number from 0 to 100");
        }
        assertBadRequest(() -> search.images("dog", null, null, "nonsense"), "cursor");
        assertBadRequest(() -> search.labels(null, SearchCursor.start("dog").encode()), "cursor");
    }

    @Test
    void limitsAndConfidencesWithinTheirRangesAreTaken() {
        assertThat(search.limit(null)).isEqualTo(50);
        assertThat(search.limit(" ")).isEqualTo(50);
        assertThat(search.limit("1")).isEqualTo(1);
        assertThat(search.limit(" 100 ")).isEqualTo(100);
        assertThat(LabelSearch.minConfidence(null)).isNull();
        assertThat(LabelSearch.minConfidence("")).isNull();
        assertThat(LabelSearch.minConfidence("0")).isEqualTo(0f);
        assertThat(LabelSearch.minConfidence(" 100 ")).isEqualTo(100f);
    }

    @Test
    void aDefaultLimitOutsideItsRangeRefusesToStart() {
        assertThatThrownBy(() -> new LabelSearch(dynamo, "t", 0, 100, LabelIndexTest.POLICY)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new LabelSearch(dynamo, "t", 101, 100, LabelIndexTest.POLICY)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("default-limit");
        new LabelSearch(dynamo, "t", 1, 1, LabelIndexTest.POLICY);
    }

    private static Map<String, AttributeValue> count(String label, String name, long images) {
        return Map.of("pk", AttributeValue.fromS("count#0"), "sk", AttributeValue.fromS(label),
                "name", AttributeValue.fromS(name), "images", AttributeValue.fromN(Long.toString(images)));
    }

    private static void assertBadRequest(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
