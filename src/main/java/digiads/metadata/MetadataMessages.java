package digiads.metadata;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import digiads.events.MalformedMessageException;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads a message of the metadata queue, whichever release wrote it. Any minor version of this
 * instance's major version is read: the fields it knows make the {@link ImageMetadata}, the top-level
 * fields it does not know are kept for the item (exchange property
 * {@value MetadataItemMapper#UNKNOWN_FIELDS}). A message of a newer major version, or one that is no
 * metadata at all, is a {@link MalformedMessageException} with the reason: it is dead-lettered, and a
 * newer major version's message can be redriven once instances of that release consume the queue.
 */
@Component
public class MetadataMessages {

    /**
     * The SQS message attribute (and Camel header) with which extractMetadata tells the writer that it
     * found no stored state for the image ({@code true}; a consistent read just before labeling). The
     * writer then tries the image's first state without reading the item again; if one was stored
     * meanwhile, that write is cancelled by its condition and the writer reads and tries again
     * ({@link StateWriter}). A transport hint, never part of the metadata nor of the item; a message
     * without it (another release's, a tombstone) is written after a read.
     */
    public static final String NOTHING_STORED = "digiads-nothing-stored";

    /** The fields this instance knows: the metadata's. */
    private static final Set<String> KNOWN = Arrays.stream(ImageMetadata.class.getRecordComponents())
            .map(c -> c.getName()).collect(Collectors.toUnmodifiableSet());

    private final ObjectMapper mapper;

    public MetadataMessages(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The {@link #NOTHING_STORED} word of an extraction: whether it found no state stored for the image. */
    public static boolean nothingStored(@ExchangeProperty("stored") ImageMetadata stored) {
        return stored == null;
    }

    public ImageMetadata read(@Body String body, Exchange exchange) {
        JsonNode message = tree(body);
        JsonNode version = message.get("schemaVersion");
        if (version == null || !version.canConvertToExactIntegral() || !version.canConvertToInt()) {
            throw new MalformedMessageException("not a metadata message: no schemaVersion");
        }
        if (version.asInt() > ImageMetadata.SCHEMA_VERSION) {
            throw new MalformedMessageException(new UnsupportedSchemaVersionException(version.asInt()).getMessage()
                    + ": written by a newer release; redrive it once instances of that release consume the queue");
        }
        ImageMetadata metadata;
        try {
            metadata = mapper.treeToValue(message, ImageMetadata.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            String why = cause == e ? e.getOriginalMessage() : cause.getMessage();
            throw new MalformedMessageException("not a metadata message: " + why, e);
        }
        Map<String, AttributeValue> unknown = new LinkedHashMap<>();
        message.fields().forEachRemaining(field -> {
            if (!KNOWN.contains(field.getKey())) {
                unknown.put(field.getKey(), MetadataItemMapper.attribute(field.getValue()));
            }
        });
        exchange.setProperty(MetadataItemMapper.UNKNOWN_FIELDS, unknown);
        return metadata;
    }

    private JsonNode tree(String body) {
        if (body == null || body.isBlank()) {
            throw new MalformedMessageException("not a metadata message: empty body");
        }
        try {
            JsonNode tree = mapper.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw new MalformedMessageException("not a metadata message: not a JSON object");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not a metadata message: " + e.getOriginalMessage(), e);
        }
    }
}
