package digiads.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** A state is stored with exactly the mapper's one conditional PutItem (unknown fields of a newer minor kept), in the configured table. */
class StateWriterTest {

    @Test
    void writesTheConditionalPutOfTheState() {
        DynamoDbClient dynamo = mock(DynamoDbClient.class);
        MetadataItemMapper mapper = new MetadataItemMapper(Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"),
                ZoneOffset.UTC), Duration.ofDays(7));
        ImageMetadata tombstone = ImageMetadata.deleted("a.jpg", "digiads-images", "images/a.jpg", "T5");

        Map<String, AttributeValue> unknown = Map.of("nextRelease", AttributeValue.fromS("kept"));
        new StateWriter(dynamo, mapper, "my-table").write(tombstone, unknown);

        ArgumentCaptor<PutItemRequest> put = ArgumentCaptor.forClass(PutItemRequest.class);
        verify(dynamo).putItem(put.capture());
        assertThat(put.getValue()).isEqualTo(mapper.putIfNotNewer("my-table", tombstone, unknown));
    }
}
