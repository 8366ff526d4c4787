package digiads.labels;

import static digiads.labels.LabelIndexTest.labeled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The transaction of a state change: the metadata put on the order-token condition and on what was
 * read, the old state's index items out, the new one's in, the counts moved by the labels gained and lost.
 */
class StateTransactionsTest {

    private final StateTransactions transactions = new StateTransactions("meta", "labels");

    @Test
    void theFirstStateOfAnImagePutsItsItemItsIndexAndCountsItsLabels() {
        Map<String, AttributeValue> item = labeled("a.jpg", "Dog", 90, "Cat", 80);
        List<TransactWriteItem> actions = transactions.replace(null, item).transactItems();

        assertThat(actions).hasSize(1 + 2 + 2);
        Put put = actions.get(0).put();
        assertThat(put.tableName()).isEqualTo("meta");
        assertThat(put.item()).isEqualTo(item);
        assertThat(put.conditionExpression())
                .isEqualTo("(attribute_not_exists(#imageId) OR #orderToken <= :orderToken) AND attribute_not_exists(#imageId)");
        assertThat(put.expressionAttributeNames()).isEqualTo(Map.of("#imageId", "imageId", "#orderToken", "orderToken"));
        assertThat(put.expressionAttributeValues()).isEqualTo(Map.of(":orderToken", AttributeValue.fromS("T1")));
        List<LabelIndex.Entry> entries = LabelIndex.entriesOf(item);
        assertThat(actions.get(1).put()).isEqualTo(Put.builder().tableName("labels").item(entries.get(0).item()).build());
        assertThat(actions.get(2).put()).isEqualTo(Put.builder().tableName("labels").item(entries.get(1).item()).build());
        int shard = LabelIndex.shardOf("a.jpg");
        assertThat(actions.get(3).update()).isEqualTo(Update.builder().tableName("labels")
                .key(Map.of("pk", AttributeValue.fromS("count#" + shard), "sk", AttributeValue.fromS("dog")))
                .updateExpression("ADD #images :delta SET #name = :name")
                .expressionAttributeNames(Map.of("#images", "images", "#name", "name"))
                .expressionAttributeValues(Map.of(":delta", AttributeValue.fromN("1"), ":name", AttributeValue.fromS("Dog")))
                .build());
        assertThat(actions.get(4).update().key().get("sk").s()).isEqualTo("cat");
        assertThat(transactions.replace(Map.of(), item)).as("an empty read is no item").isEqualTo(transactions.replace(null, item));
    }

    @Test
    void aRelabelDeletesTheLabelsItLostPutsItsOwnAndMovesTheCounts() {
        Map<String, AttributeValue> stored = labeled("a.jpg", "Dog", 90, "Cat", 80);
        Map<String, AttributeValue> item = labeled("a.jpg", "dog", 95, "Bird", 70);
        item.put("extractedAt", AttributeValue.fromS("2026-11-27T00:00:00Z"));
        item.put("orderToken", AttributeValue.fromS("T2"));

        List<TransactWriteItem> actions = transactions.replace(stored, item).transactItems();

        Put put = actions.get(0).put();
        assertThat(put.conditionExpression()).isEqualTo("(attribute_not_exists(#imageId) OR #orderToken <= :orderToken)"
                + " AND #orderToken = :readOrderToken AND #updatedAt = :readUpdatedAt");
        assertThat(put.expressionAttributeNames()).containsEntry("#updatedAt", "updatedAt");
        assertThat(put.expressionAttributeValues()).isEqualTo(Map.of(":orderToken", AttributeValue.fromS("T2"),
                ":readOrderToken", AttributeValue.fromS("T1"), ":readUpdatedAt", AttributeValue.fromS("2026-11-26T12:00:00Z")));
        List<LabelIndex.Entry> old = LabelIndex.entriesOf(stored);
        List<LabelIndex.Entry> now = LabelIndex.entriesOf(item);
        assertThat(actions.subList(1, 3)).extracting(a -> a.delete().key())
                .as("both old items: dog's moved to the new labeling time").containsExactly(old.get(0).key(), old.get(1).key());
        assertThat(actions.subList(1, 3)).allSatisfy(a -> assertThat(a.delete().tableName()).isEqualTo("labels"));
        assertThat(actions.subList(3, 5)).extracting(a -> a.put().item()).containsExactly(now.get(0).item(), now.get(1).item());
        assertThat(actions.subList(5, 7)).extracting(a -> a.update().key().get("sk").s() + " "
                + a.update().expressionAttributeValues().get(":delta").n()).containsExactly("cat -1", "bird 1");
        assertThat(actions.get(5).update().updateExpression()).isEqualTo("ADD #images :delta");
        assertThat(actions.get(5).update().expressionAttributeNames()).isEqualTo(Map.of("#images", "images"));
        assertThat(actions).hasSize(7);
    }

    @Test
    void theSameStateAgainRewritesItsItemsAndLeavesTheCounts() {
        Map<String, AttributeValue> stored = labeled("a.jpg", "Dog", 90);
        List<TransactWriteItem> actions = transactions.replace(stored, new HashMap<>(stored)).transactItems();
        assertThat(actions).hasSize(2);
        assertThat(actions.get(1).put().item()).isEqualTo(LabelIndex.entriesOf(stored).get(0).item());
    }

    @Test
    void aTombstoneTakesTheImageOutOfTheIndex() {
        Map<String, AttributeValue> stored = labeled("a.jpg", "Dog", 90);
        Map<String, AttributeValue> tombstone = new HashMap<>(Map.of("imageId", AttributeValue.fromS("a.jpg"),
                "status", AttributeValue.fromS("DELETED"), "orderToken", AttributeValue.fromS("T2")));
        List<TransactWriteItem> actions = transactions.replace(stored, tombstone).transactItems();
        assertThat(actions).hasSize(3);
        assertThat(actions.get(1).delete().key()).isEqualTo(LabelIndex.entriesOf(stored).get(0).key());
        assertThat(actions.get(2).update().expressionAttributeValues().get(":delta").n()).isEqualTo("-1");
    }

    @Test
    void aStoredItemWithoutUpdatedAtOrTokenIsMatchedByTheirAbsence() {
        Map<String, AttributeValue> stored = labeled("a.jpg");
        stored.remove("updatedAt");
        stored.remove("orderToken");
        Put put = transactions.replace(stored, labeled("a.jpg")).transactItems().get(0).put();
        assertThat(put.conditionExpression()).endsWith(" AND attribute_not_exists(#orderToken) AND attribute_not_exists(#updatedAt)");
        assertThat(put.expressionAttributeValues()).containsOnlyKeys(":orderToken");
    }

    @Test
    void newerIsByOrderToken() {
        Map<String, AttributeValue> t1 = labeled("a.jpg");
        Map<String, AttributeValue> t2 = labeled("a.jpg");
        t2.put("orderToken", AttributeValue.fromS("T2"));
        assertThat(StateTransactions.storedIsNewer(t2, t1)).isTrue();
        assertThat(StateTransactions.storedIsNewer(t1, t2)).isFalse();
        assertThat(StateTransactions.storedIsNewer(t1, t1)).as("the same state again may rewrite itself").isFalse();
        assertThat(StateTransactions.storedIsNewer(null, t1)).isFalse();
        assertThat(StateTransactions.storedIsNewer(Map.of(), t1)).isFalse();
        Map<String, AttributeValue> noToken = labeled("a.jpg");
        noToken.remove("orderToken");
        assertThat(StateTransactions.storedIsNewer(noToken, t1)).isFalse();
        assertThat(StateTransactions.storedIsNewer(t1, noToken)).isTrue();
    }

    @Test
    void aChangeOfTheMostLabelsFitsATransaction() {
        Object[] before = new Object[2 * LabelIndex.MAX_LABELS];
        Object[] after = new Object[2 * LabelIndex.MAX_LABELS];
        for (int i = 0; i < LabelIndex.MAX_LABELS; i++) {
            before[2 * i] = "old " + i;
            before[2 * i + 1] = 90;
            after[2 * i] = "new " + i;
            after[2 * i + 1] = 90;
        }
        TransactWriteItemsRequest request = transactions.replace(labeled("a.jpg", before), labeled("a.jpg", after));
        assertThat(request.transactItems()).hasSize(97).hasSizeLessThanOrEqualTo(StateTransactions.MAX_ACTIONS);
    }

    @Test
    void countsMoveByTheLabelsGainedAndLost() {
        List<LabelIndex.Entry> before = LabelIndex.entriesOf(labeled("a.jpg", "A", 90, "B", 80));
        List<LabelIndex.Entry> after = LabelIndex.entriesOf(labeled("a.jpg", "b", 90, "C", 80));
        assertThat(StateTransactions.counts(before, after).entrySet()).extracting(e -> e.getKey().label() + e.getValue())
                .containsExactly("a-1", "c1");
        assertThat(StateTransactions.counts(after, after)).isEmpty();
    }

    @Test
    void moreActionsThanATransactionHoldsAreRefused() {
        Object[] labels = new Object[2 * LabelIndex.MAX_LABELS];
        for (int i = 0; i < LabelIndex.MAX_LABELS; i++) {
            labels[2 * i] = "label " + i;
            labels[2 * i + 1] = 90;
        }
        assertThat(transactions.replace(null, labeled("a.jpg", labels)).transactItems()).hasSize(49);
        assertThatThrownBy(() -> StateTransactions.checkSize(101, "a.jpg")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("101 actions").hasMessageContaining("a.jpg");
        StateTransactions.checkSize(100, "a.jpg");
    }
}
