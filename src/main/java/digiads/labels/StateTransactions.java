package digiads.labels;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import digiads.metadata.MetadataItemMapper;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The one write of an image's state together with its label index: a TransactWriteItems that puts the
 * metadata item on the same condition as ever (no item, or the stored state is not newer) and on the
 * condition that the stored item is still the one read before (same order token and updatedAt, or still
 * none), deletes the index items of the stored state that the new one does not have, puts the new
 * state's index items, and changes the label counts by the labels gained (+1) and lost (−1). If a
 * condition fails, DynamoDB cancels the whole transaction: nothing of it is written.
 */
public final class StateTransactions {

    /** The metadata item is still what was read: the order token and updatedAt read, or still none. */
    static final String UNCHANGED_SINCE_READ = "#orderToken = :readOrderToken AND #updatedAt = :readUpdatedAt";
    static final String STILL_ABSENT = "attribute_not_exists(#imageId)";
    /** The most actions a transaction may have. */
    static final int MAX_ACTIONS = 100;

    private final String metadataTable;
    private final String labelsTable;

    public StateTransactions(String metadataTable, String labelsTable) {
        this.metadataTable = metadataTable;
        this.labelsTable = labelsTable;
    }

    /** Whether the stored item holds a newer state than the item to put (by order token). */
    public static boolean storedIsNewer(Map<String, AttributeValue> stored, Map<String, AttributeValue> item) {
        return stored != null && orderToken(stored).compareTo(orderToken(item)) > 0;
    }

    /**
     * The transaction that replaces {@code stored} (what GetItem read; null or empty: no item) by
     * {@code item}, with the index following.
     */
    public TransactWriteItemsRequest replace(Map<String, AttributeValue> stored, Map<String, AttributeValue> item) {
        boolean absent = stored == null || stored.isEmpty();
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().put(putMetadata(absent ? null : stored, item)).build());

        List<LabelIndex.Entry> before = LabelIndex.entriesOf(absent ? null : stored);
        List<LabelIndex.Entry> after = LabelIndex.entriesOf(item);
        Set<Map<String, AttributeValue>> keptKeys = after.stream().map(LabelIndex.Entry::key).collect(Collectors.toSet());
        for (LabelIndex.Entry old : before) {
            if (!keptKeys.contains(old.key())) {
                actions.add(TransactWriteItem.builder()
                        .delete(Delete.builder().tableName(labelsTable).key(old.key()).build()).build());
            }
        }
        for (LabelIndex.Entry entry : after) {
            actions.add(TransactWriteItem.builder()
                    .put(Put.builder().tableName(labelsTable).item(entry.item()).build()).build());
        }
        counts(before, after).forEach((entry, delta) -> actions.add(TransactWriteItem.builder()
                .update(countUpdate(entry, delta)).build()));
        checkSize(actions.size(), LabelIndex.string(item, MetadataItemMapper.KEY));
        return TransactWriteItemsRequest.builder().transactItems(actions).build();
    }

    static void checkSize(int actions, String imageId) {
        if (actions > MAX_ACTIONS) {
            throw new IllegalStateException("a state change of image '" + imageId + "' needs " + actions
                    + " actions, more than a transaction's " + MAX_ACTIONS);
        }
    }

    private Put putMetadata(Map<String, AttributeValue> stored, Map<String, AttributeValue> item) {
        Map<String, String> names = new HashMap<>(Map.of("#imageId", MetadataItemMapper.KEY,
                "#orderToken", MetadataItemMapper.ORDER_TOKEN));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":orderToken", item.get(MetadataItemMapper.ORDER_TOKEN)));
        String unchanged;
        if (stored == null) {
            unchanged = STILL_ABSENT;
        } else {
            names.put("#updatedAt", "updatedAt");
            unchanged = equalOrAbsent("#orderToken", ":readOrderToken", stored.get(MetadataItemMapper.ORDER_TOKEN), values)
                    + " AND " + equalOrAbsent("#updatedAt", ":readUpdatedAt", stored.get("updatedAt"), values);
        }
        return Put.builder().tableName(metadataTable).item(item)
                .conditionExpression("(" + MetadataItemMapper.WRITE_CONDITION + ") AND " + unchanged)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    private static String equalOrAbsent(String name, String placeholder, AttributeValue read,
                                        Map<String, AttributeValue> values) {
        if (read == null) {
            return "attribute_not_exists(" + name + ")";
        }
        values.put(placeholder, read);
        return name + " = " + placeholder;
    }

    /** +1 for each label gained, −1 for each label lost (by normalized name); unchanged labels are not touched. */
    static Map<LabelIndex.Entry, Integer> counts(List<LabelIndex.Entry> before, List<LabelIndex.Entry> after) {
        Set<String> had = before.stream().map(LabelIndex.Entry::label).collect(Collectors.toSet());
        Set<String> has = after.stream().map(LabelIndex.Entry::label).collect(Collectors.toSet());
        Map<LabelIndex.Entry, Integer> deltas = new LinkedHashMap<>();
        before.stream().filter(e -> !has.contains(e.label())).forEach(e -> deltas.put(e, -1));
        after.stream().filter(e -> !had.contains(e.label())).forEach(e -> deltas.put(e, 1));
        return deltas;
    }

    private Update countUpdate(LabelIndex.Entry entry, int delta) {
        Map<String, String> names = new HashMap<>(Map.of("#images", LabelIndex.IMAGES));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":delta", AttributeValue.fromN(Integer.toString(delta))));
        String expression = "ADD #images :delta";
        if (delta > 0) {
            names.put("#name", LabelIndex.NAME);
            values.put(":name", AttributeValue.fromS(entry.name()));
            expression += " SET #name = :name";
        }
        return Update.builder().tableName(labelsTable)
                .key(Map.of(LabelIndex.PK, AttributeValue.fromS(LabelIndex.countPartition(entry.shard())),
                        LabelIndex.SK, AttributeValue.fromS(entry.label())))
                .updateExpression(expression)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    private static String orderToken(Map<String, AttributeValue> item) {
        AttributeValue token = item.get(MetadataItemMapper.ORDER_TOKEN);
        return token == null || token.s() == null ? "" : token.s();
    }
}
