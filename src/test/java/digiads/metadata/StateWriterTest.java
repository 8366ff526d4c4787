package digiads.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import digiads.labels.StateTransactions;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A state is stored with one transaction of the state and its index after a consistent read of the
 * stored item (no read before the first attempt when the extraction found nothing stored); an older
 * state writes nothing; a transaction cancelled because the item changed since
 * it was read is tried again from the read, a bounded number of times; other cancellations fail.
 */
class StateWriterTest {

    private final DynamoDbClient dynamo = mock(DynamoDbClient.class);
    private final MetadataItemMapper mapper = new MetadataItemMapper(Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"),
            ZoneOffset.UTC), Duration.ofDays(7));
    private final StateWriter writer = new StateWriter(dynamo, mapper, "my-table", "my-labels", 10);
    private final StateTransactions transactions = new StateTransactions("my-table", "my-labels");
    private final ImageMetadata state = new ImageMetadata(1, 0, "a.jpg", "digiads-images", "images/a.jpg", "e1", 10,
            "image/jpeg", MetadataStatus.LABELED, null, List.of(new Label("Dog", 90f, List.of())), "3.0", null, null,
            Instant.parse("2026-11-26T11:00:00Z"), null, "T5");
    private final Map<String, AttributeValue> unknown = Map.of("nextRelease", AttributeValue.fromS("kept"));

    @Test
    void readsTheStoredItemConsistentlyAndWritesOneTransactionOfTheStateAndItsIndex() {
        Map<String, AttributeValue> stored = mapper.itemOf(ImageMetadata.deleted("a.jpg", "digiads-images",
                "images/a.jpg", "T4"), null);
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().item(stored).build());
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenReturn(TransactWriteItemsResponse.builder().build());

        writer.write(state, unknown, null);

        ArgumentCaptor<GetItemRequest> get = ArgumentCaptor.forClass(GetItemRequest.class);
        verify(dynamo).getItem(get.capture());
        assertThat(get.getValue()).isEqualTo(GetItemRequest.builder().tableName("my-table").consistentRead(true)
                .key(Map.of("imageId", AttributeValue.fromS("a.jpg"))).build());
        assertThat(transactionsSent()).containsExactly(transactions.replace(stored, mapper.itemOf(state, unknown)));
    }

    @Test
    void anImageWithoutAnItemGetsItsFirstState() {
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().build());
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenReturn(TransactWriteItemsResponse.builder().build());

        writer.write(state, null, null);

        assertThat(transactionsSent()).containsExactly(transactions.replace(null, mapper.itemOf(state, null)));
    }

    @Test
    void whenTheExtractionFoundNothingStoredTheFirstStateIsWrittenWithoutARead() {
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenReturn(TransactWriteItemsResponse.builder().build());

        writer.write(state, unknown, true);

        verify(dynamo, never()).getItem(any(GetItemRequest.class));
        assertThat(transactionsSent()).containsExactly(transactions.replace(null, mapper.itemOf(state, unknown)));
    }

    @Test
    void aStateStoredSinceTheExtractionCancelsTheFirstAttemptAndTheNextReadsAndReplacesIt() {
        Map<String, AttributeValue> storedMeanwhile = mapper.itemOf(ImageMetadata.deleted("a.jpg", "digiads-images",
                "images/a.jpg", "T4"), null);
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().item(storedMeanwhile).build());
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                .thenThrow(cancelled("ConditionalCheckFailed"))
                .thenReturn(TransactWriteItemsResponse.builder().build());

        writer.write(state, null, true);

        verify(dynamo, times(1)).getItem(any(GetItemRequest.class));
        assertThat(transactionsSent()).containsExactly(transactions.replace(null, mapper.itemOf(state, null)),
                transactions.replace(storedMeanwhile, mapper.itemOf(state, null)));
    }

    @Test
    void aNewerStateStoredSinceTheExtractionMakesThisOneOlder() {
        Map<String, AttributeValue> newer = mapper.itemOf(ImageMetadata.deleted("a.jpg", "b", "images/a.jpg", "T6"), null);
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().item(newer).build());
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenThrow(cancelled("ConditionalCheckFailed"));

        assertThatThrownBy(() -> writer.write(state, null, true)).isInstanceOf(OlderStateException.class);
        verify(dynamo, times(1)).transactWriteItems(any(TransactWriteItemsRequest.class));
    }

    @Test
    void anOlderStateWritesNothing() {
        Map<String, AttributeValue> newer = mapper.itemOf(ImageMetadata.deleted("a.jpg", "b", "images/a.jpg", "T6"), null);
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().item(newer).build());

        assertThatThrownBy(() -> writer.write(state, null, null)).isInstanceOf(OlderStateException.class)
                .hasMessageContaining("a.jpg").hasMessageContaining("T5");
        verify(dynamo, never()).transactWriteItems(any(TransactWriteItemsRequest.class));
    }

    @Test
    void aTransactionCancelledBecauseTheItemChangedIsTriedAgainFromTheRead() {
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().build());
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                .thenThrow(cancelled("None", "ConditionalCheckFailed"))
                .thenThrow(cancelled("TransactionConflict"))
                .thenReturn(TransactWriteItemsResponse.builder().build());

        writer.write(state, null, null);

        verify(dynamo, times(3)).getItem(any(GetItemRequest.class));
        verify(dynamo, times(3)).transactWriteItems(any(TransactWriteItemsRequest.class));
    }

    @Test
    void anItemThatChangesUnderEveryAttemptFailsTheWriteAfterTheLastAttempt() {
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().build());
        TransactionCanceledException changed = cancelled("ConditionalCheckFailed");
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenThrow(changed);

        assertThatThrownBy(() -> writer.write(state, null, null)).isSameAs(changed);
        verify(dynamo, times(StateWriter.ATTEMPTS)).transactWriteItems(any(TransactWriteItemsRequest.class));
    }

    @Test
    void anotherCancellationFailsAtOnce() {
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().build());
        TransactionCanceledException invalid = cancelled("None", "ValidationError");
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenThrow(invalid);

        assertThatThrownBy(() -> writer.write(state, null, null)).isSameAs(invalid);
        verify(dynamo, times(1)).transactWriteItems(any(TransactWriteItemsRequest.class));
        assertThat(StateWriter.changedMeanwhile(TransactionCanceledException.builder().message("no reasons").build()))
                .isFalse();
    }

    @Test
    void moreLabelsThanATransactionHoldsRefuseToStart() {
        assertThatThrownBy(() -> new StateWriter(dynamo, mapper, "t", "l", 25)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("max-labels is 25").hasMessageContaining("24");
        new StateWriter(dynamo, mapper, "t", "l", 24);
    }

    /** Every TransactWriteItems the writer sent, in order. */
    private List<TransactWriteItemsRequest> transactionsSent() {
        ArgumentCaptor<TransactWriteItemsRequest> sent = ArgumentCaptor.forClass(TransactWriteItemsRequest.class);
        verify(dynamo, atLeast(0)).transactWriteItems(sent.capture());
        return sent.getAllValues();
    }

    private static TransactionCanceledException cancelled(String... codes) {
        return TransactionCanceledException.builder().message("cancelled")
                .cancellationReasons(java.util.Arrays.stream(codes)
                        .map(code -> CancellationReason.builder().code(code).build()).toList())
                .build();
    }
}
