package digiads.metadata;

import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Stores an image's state (metadata or tombstone) with one conditional PutItem
 * ({@link MetadataItemMapper#putIfNotNewer}). Camel's aws2-ddb producer sends only the legacy
 * {@code Expected} map, which cannot say "absent OR not newer" in one request, so this write goes
 * through the application's {@link DynamoDbClient} itself; the store-state route calls it.
 */
@Component
public class StateWriter {

    private final DynamoDbClient dynamo;
    private final MetadataItemMapper mapper;
    private final String table;

    public StateWriter(DynamoDbClient dynamo, MetadataItemMapper mapper, @Value("${digiads.dynamodb.table}") String table) {
        this.dynamo = dynamo;
        this.mapper = mapper;
        this.table = table;
    }

    /**
     * Writes the state unless a newer one is stored.
     *
     * @throws ConditionalCheckFailedException when a newer state is stored: this one is older and changes nothing
     */
    public void write(@Body ImageMetadata state,
                      @ExchangeProperty(MetadataItemMapper.UNKNOWN_FIELDS) Map<String, AttributeValue> unknownFields) {
        dynamo.putItem(mapper.putIfNotNewer(table, state, unknownFields));
    }
}
