package digiads.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * infra/resources.json: the one definition of digiads' AWS resources (bucket and its event
 * notification, the two queues with their dead-letter queues, the metadata table, the label index
 * table), which {@link AwsResources}
 * provisions in moto and which the CloudFormation template and application.properties must equal
 * (digiads.deploy.ResourceDefinitionTest). Every field is required.
 */
@JsonIgnoreProperties("//")
public record ResourceDefinition(Bucket bucket, Map<String, Queue> queues, Table table, IndexTable labelsTable,
                                 Map<String, Topic> topics) {

    /** The file, relative to the repository root. */
    public static final Path FILE = Path.of("infra", "resources.json");

    /**
     * The image bucket; its event notification goes to the queue {@code queues[notification.queue]};
     * its CORS rule lets the page PUT presigned uploads.
     */
    public record Bucket(String name, String keyPrefix, Notification notification, Cors cors) {
    }

    /** Who may PUT to the bucket from a browser: the page's origin (on AWS), the local origins (emulators). */
    @JsonIgnoreProperties("//")
    public record Cors(List<String> allowedMethods, List<String> allowedHeaders, int maxAgeSeconds,
                       List<String> localOrigins) {
    }

    /** Which S3 events go to which queue, filtered by the bucket's key prefix or not. */
    public record Notification(String id, String queue, List<String> events, boolean filterByKeyPrefix) {
    }

    /**
     * A work queue, by its role ("events", "metadata": the app's digiads.sqs.{role}-queue and
     * -dlq keys). Its dead-letter queue takes SQS's default visibility timeout.
     */
    public record Queue(String name, int visibilityTimeoutSeconds, int messageRetentionSeconds,
                        DeadLetterQueue deadLetterQueue) {
    }

    public record DeadLetterQueue(String name, int messageRetentionSeconds, int maxReceiveCount) {
    }

    public record Table(String name, Attribute partitionKey, String ttlAttribute, String billingMode,
                        Index galleryIndex) {
    }

    /** A global secondary index: its keys and projection (ALL, KEYS_ONLY). */
    @JsonIgnoreProperties("//")
    public record Index(String name, Attribute partitionKey, Attribute sortKey, String projection) {
    }

    /** An SNS topic, by its role ("updates": the app's digiads.live.updates.topic-arn). */
    @JsonIgnoreProperties("//")
    public record Topic(String name) {
    }

    /** A table of a partition and a sort key and no TTL: the label index (digiads.labels.LabelIndex). */
    public record IndexTable(String name, Attribute partitionKey, Attribute sortKey, String billingMode) {
    }

    /** A key attribute: its name and DynamoDB type (S, N, B). */
    public record Attribute(String name, String type) {
    }

    /** The queue the bucket's events go to. */
    public Queue notifiedQueue() {
        Queue queue = queues.get(bucket.notification().queue());
        if (queue == null) {
            throw new IllegalStateException("the bucket notifies queue '" + bucket.notification().queue()
                    + "', which " + FILE + " does not define (" + queues.keySet() + ")");
        }
        return queue;
    }

    /** The longest message retention of the queues and their dead-letter queues, in seconds. */
    public int longestRetentionSeconds() {
        return queues.values().stream()
                .mapToInt(q -> Math.max(q.messageRetentionSeconds(), q.deadLetterQueue().messageRetentionSeconds()))
                .max().orElseThrow();
    }

    /** The definition of this repository (found above the working directory). */
    public static ResourceDefinition load() {
        return read(locate());
    }

    public static ResourceDefinition read(Path file) {
        ObjectMapper json = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);
        try {
            return json.readValue(file.toFile(), ResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the resource definition " + file, e);
        }
    }

    /** infra/resources.json in the working directory or the nearest directory above it that has one. */
    public static Path locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(FILE))) {
                return dir.resolve(FILE);
            }
        }
        throw new IllegalStateException("no " + FILE + " in or above " + Path.of("").toAbsolutePath());
    }
}
