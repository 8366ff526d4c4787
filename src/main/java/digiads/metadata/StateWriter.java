package digiads.metadata;

import java.util.Map;

import digiads.labels.LabelIndex;
import digiads.labels.StateTransactions;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Stores an image's state (metadata or tombstone) together with its label index: it reads the stored
 * item (GetItem, strongly consistent), and unless that holds a newer state, writes one
 * TransactWriteItems ({@link StateTransactions}) that puts the item on the order-token condition and on
 * the condition that the stored item is still the one read, and moves the index and the label counts
 * from the stored state to this one. A transaction cancelled because a condition failed (another
 * instance changed the item since it was read) or because it conflicted with another transaction is
 * tried again from the read, up to {@value #ATTEMPTS} times; the read then tells whether this state is
 * now older ({@link OlderStateException}: it changes nothing) or is written over the new one. Camel's
 * aws2-ddb producer cannot send either request, so this goes through the application's
 * {@link DynamoDbClient} itself; the store-state route calls it.
 *
 * <p>When the message says that its extraction found nothing stored for the image
 * ({@link MetadataMessages#NOTHING_STORED}), the first attempt skips the read: it writes the image's
 * first state on the condition that there is still none. If one was stored meanwhile, that condition
 * cancels the transaction and the next attempt reads, as above.
 */
@Component
public class StateWriter {

    static final int ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(StateWriter.class);

    private final DynamoDbClient dynamo;
    private final MetadataItemMapper mapper;
    private final String table;
    private final StateTransactions transactions;

    @Autowired
    public StateWriter(DynamoDbClient dynamo, MetadataItemMapper mapper, @Value("${digiads.dynamodb.table}") String table,
                       @Value("${digiads.dynamodb.labels-table}") String labelsTable,
                       @Value("${digiads.rekognition.max-labels}") int maxLabels) {
        if (maxLabels > LabelIndex.MAX_LABELS) {
            throw new IllegalStateException("digiads.rekognition.max-labels is " + maxLabels + ": at most "
                    + LabelIndex.MAX_LABELS + " labels of an image fit in the transaction of a state change");
        }
        this.dynamo = dynamo;
        this.mapper = mapper;
        this.table = table;
        this.transactions = new StateTransactions(table, labelsTable);
    }

    /**
     * Writes the state and its index unless a newer state is stored.
     *
     * @throws OlderStateException when a newer state is stored: this one is older and changes nothing
     * @throws TransactionCanceledException when the item changed under every attempt, or for another reason
     */
    public void write(@Body ImageMetadata state,
                      @ExchangeProperty(MetadataItemMapper.UNKNOWN_FIELDS) Map<String, AttributeValue> unknownFields,
                      @Header(MetadataMessages.NOTHING_STORED) Boolean nothingStored) {
        Map<String, AttributeValue> item = mapper.itemOf(state, unknownFields);
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> stored = attempt == 1 && Boolean.TRUE.equals(nothingStored) ? null
                    : dynamo.getItem(GetItemRequest.builder().tableName(table).consistentRead(true)
                            .key(Map.of(MetadataItemMapper.KEY, item.get(MetadataItemMapper.KEY))).build()).item();
            if (StateTransactions.storedIsNewer(stored, item)) {
                throw new OlderStateException("image '" + state.imageId() + "' has a newer state than "
                        + state.orderToken());
            }
            try {
                dynamo.transactWriteItems(transactions.replace(stored, item));
                return;
            } catch (TransactionCanceledException e) {
                if (attempt >= ATTEMPTS || !changedMeanwhile(e)) {
                    throw e;
                }
                LOG.debug("{}: the item changed since it was read (attempt {}); reading it again", state.imageId(), attempt);
            }
        }
    }

    /** Cancelled because a condition failed or another transaction was in the way: worth reading again. */
    static boolean changedMeanwhile(TransactionCanceledException e) {
        return e.hasCancellationReasons() && e.cancellationReasons().stream().map(CancellationReason::code)
                .anyMatch(code -> "ConditionalCheckFailed".equals(code) || "TransactionConflict".equals(code));
    }
}
