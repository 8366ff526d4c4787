package digiads.bench;

import java.net.URI;
import java.time.*;
import java.util.*;

import software.amazon.awssdk.auth.credentials.*;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.*;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * AWS SDK v2 clients on moto, the app's resources provisioned as infra/resources.json defines them (as the tests'
 * AwsResources does), and metadata items in MetadataItemMapper's layout.
 */
final class Aws implements AutoCloseable {

    static final String ACCOUNT = "123456789012";

    /** One set of the pipeline's resources: the app's, or the limit loop's own. */
    record Resources(String bucket, String prefix, String eventsQueue, String eventsDlq, String metadataQueue,
                     String metadataDlq, String table, String labelsTable) {

        /** The definition's resources, each name with this prefix ("" for the app's own). */
        static Resources of(ResourceDefinition definition, String namePrefix) {
            ResourceDefinition.Queue events = definition.queue("events");
            ResourceDefinition.Queue metadata = definition.queue("metadata");
            return new Resources(namePrefix + definition.bucket().name(), definition.bucket().keyPrefix(),
                    namePrefix + events.name(), namePrefix + events.deadLetterQueue().name(),
                    namePrefix + metadata.name(), namePrefix + metadata.deadLetterQueue().name(),
                    namePrefix + definition.table().name(), namePrefix + definition.labelsTable().name());
        }
    }

    final ResourceDefinition definition;
    /** The app's resources, by their default names. */
    final Resources app;
    /** The limit loop's own copy of them (names prefixed "limit-"). */
    final Resources limit;
    final String endpoint;
    final String dynamoEndpoint;
    final SdkHttpClient http;
    final S3Client s3;
    final SqsClient sqs;
    final DynamoDbClient dynamo;
    final RekognitionClient rekognition;
    final SnsClient sns;

    /** @param rekognitionEndpoint the Rekognition stand-in: DetectModerationLabels, the rest passed on to moto */
    Aws(String endpoint, String rekognitionEndpoint, int maxConnections, ResourceDefinition definition) {
        this(endpoint, rekognitionEndpoint, endpoint, maxConnections, definition);
    }

    /** The same with DynamoDB at an endpoint of its own (dynalite, or the recorder in front of it). */
    Aws(String endpoint, String rekognitionEndpoint, String dynamoEndpoint, int maxConnections,
        ResourceDefinition definition) {
        this.definition = definition;
        this.app = Resources.of(definition, "");
        this.limit = Resources.of(definition, "limit-");
        this.endpoint = endpoint;
        this.dynamoEndpoint = dynamoEndpoint;
        this.http = ApacheHttpClient.builder().maxConnections(maxConnections)
                .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(40)).build();
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        URI uri = URI.create(endpoint);
        Region region = Region.US_EAST_1;
        s3 = S3Client.builder().region(region).credentialsProvider(creds).httpClient(http).endpointOverride(uri)
                .forcePathStyle(true).build();
        sqs = SqsClient.builder().region(region).credentialsProvider(creds).httpClient(http).endpointOverride(uri).build();
        dynamo = DynamoDbClient.builder().region(region).credentialsProvider(creds).httpClient(http)
                .endpointOverride(URI.create(dynamoEndpoint)).build();
        rekognition = RekognitionClient.builder().region(region).credentialsProvider(creds).httpClient(http)
                .endpointOverride(URI.create(rekognitionEndpoint)).build();
        sns = SnsClient.builder().region(region).credentialsProvider(creds).httpClient(http).endpointOverride(uri).build();
    }

    String queueUrl(String name) {
        return endpoint + "/" + ACCOUNT + "/" + name;
    }

    /**
     * Creates (idempotently) the bucket with its notification, both queues with their DLQs, the tables,
     * with the settings of infra/resources.json and the names of {@code r}.
     */
    void provision(Resources r) {
        Map<String, String> arns = Map.of(
                "events", queue(r.eventsQueue(), r.eventsDlq(), definition.queue("events")),
                "metadata", queue(r.metadataQueue(), r.metadataDlq(), definition.queue("metadata")));
        try {
            s3.createBucket(b -> b.bucket(r.bucket()));
        } catch (BucketAlreadyOwnedByYouException e) {
            // provisioned before
        }
        ResourceDefinition.Notification notification = definition.bucket().notification();
        QueueConfiguration.Builder queue = QueueConfiguration.builder().id(notification.id())
                .queueArn(arns.get(notification.queue())).eventsWithStrings(notification.events());
        if (notification.filterByKeyPrefix()) {
            queue.filter(f -> f.key(k -> k.filterRules(FilterRule.builder().name("prefix").value(r.prefix()).build())));
        }
        s3.putBucketNotificationConfiguration(b -> b.bucket(r.bucket())
                .notificationConfiguration(n -> n.queueConfigurations(queue.build())));
        // moto has UpdateTimeToLive, dynalite does not
        provisionTables(r, dynamoEndpoint.equals(endpoint));
        // the topic the app publishes image state changes to (each instance subscribes a queue of its own)
        definition.topics().values().forEach(topic -> sns.createTopic(b -> b.name(topic.name())));
    }

    /**
     * The metadata table and the label index table (idempotently), with the definition's keys; with
     * {@code ttl}, the tombstones' TTL attribute too (a server without UpdateTimeToLive, dynalite, gets none).
     */
    void provisionTables(Resources r, boolean ttl) {
        ResourceDefinition.Table table = definition.table();
        String key = table.partitionKey().name();
        try {
            dynamo.createTable(b -> b.tableName(r.table())
                    .keySchema(KeySchemaElement.builder().attributeName(key).keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(key)
                            .attributeType(table.partitionKey().type()).build())
                    .billingMode(table.billingMode()));
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(r.table()));
            if (ttl) {
                // tombstones expire through the table's TTL attribute (as AwsResources does)
                dynamo.updateTimeToLive(b -> b.tableName(r.table()).timeToLiveSpecification(t -> t
                        .attributeName(table.ttlAttribute()).enabled(true)));
            }
        } catch (ResourceInUseException e) {
            // provisioned before
        }
        ResourceDefinition.IndexTable labels = definition.labelsTable();
        try {
            dynamo.createTable(b -> b.tableName(r.labelsTable())
                    .keySchema(KeySchemaElement.builder().attributeName(labels.partitionKey().name()).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(labels.sortKey().name()).keyType(KeyType.RANGE).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(labels.partitionKey().name())
                                    .attributeType(labels.partitionKey().type()).build(),
                            AttributeDefinition.builder().attributeName(labels.sortKey().name())
                                    .attributeType(labels.sortKey().type()).build())
                    .billingMode(labels.billingMode()));
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(r.labelsTable()));
        } catch (ResourceInUseException e) {
            // provisioned before
        }
    }

    /** The queue and its dead-letter queue with the definition's attributes; returns the queue's ARN. */
    private String queue(String name, String dlqName, ResourceDefinition.Queue q) {
        ResourceDefinition.DeadLetterQueue dlq = q.deadLetterQueue();
        String dlqUrl = queue(dlqName, Map.of(
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(dlq.messageRetentionSeconds())));
        String redrive = "{\"deadLetterTargetArn\":\"" + arn(dlqUrl) + "\",\"maxReceiveCount\":\""
                + dlq.maxReceiveCount() + "\"}";
        return arn(queue(name, Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(q.visibilityTimeoutSeconds()),
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(q.messageRetentionSeconds()),
                QueueAttributeName.REDRIVE_POLICY, redrive)));
    }

    /** Creates the queue (or finds it) and sets the attributes on it, also on one that existed. */
    private String queue(String name, Map<QueueAttributeName, String> attributes) {
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(attributes));
        return url;
    }

    private String arn(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    // ---- items --------------------------------------------------------------------------------------

    /** A LABELED metadata item with these labels (highest confidence first), as MetadataItemMapper writes it. */
    static Map<String, AttributeValue> item(String bucket, String prefix, String imageId, List<String> labels) {
        return item(bucket, prefix, imageId, labels, Instant.now());
    }

    /** The same, labeled (extracted) at {@code now}. */
    static Map<String, AttributeValue> item(String bucket, String prefix, String imageId, List<String> labels,
                                            Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("imageId", s(imageId));
        item.put("schemaVersion", n("1"));
        item.put("bucket", s(bucket));
        item.put("key", s(prefix + imageId));
        item.put("eTag", s(Integer.toHexString(imageId.hashCode())));
        item.put("size", n("2048"));
        item.put("contentType", s("image/jpeg"));
        item.put("status", s("LABELED"));
        List<AttributeValue> ls = new ArrayList<>();
        float confidence = 99.5f;
        for (String label : labels) {
            ls.add(label(label, confidence, List.of("Bench")));
            confidence -= 5;
        }
        item.put("labels", AttributeValue.fromL(ls));
        item.put("labelModelVersion", s("3.0"));
        // moderated, nothing found: a SAFE image, whose getDigiAds looks deals up (one without a verdict gets none)
        item.put("moderationLabels", AttributeValue.fromL(List.of()));
        item.put("moderationModelVersion", s("7.0"));
        item.put("extractedAt", s(now.toString()));
        item.put("updatedAt", s(now.toString()));
        item.put("orderToken", s(orderToken(null, now)));
        return item;
    }

    /** As digiads.metadata.OrderTokens: the S3 sequencer padded to 32 hex digits, else the event time. */
    static String orderToken(String sequencer, Instant eventTime) {
        if (sequencer != null && !sequencer.isBlank()) {
            String hex = sequencer.trim().toUpperCase(java.util.Locale.ROOT);
            return "S" + (hex.length() >= 32 ? hex : hex + "0".repeat(32 - hex.length()));
        }
        return "T" + String.format(java.util.Locale.ROOT, "%019d", eventTime.toEpochMilli());
    }

    static AttributeValue label(String name, float confidence, List<String> parents) {
        return AttributeValue.fromM(Map.of(
                "name", s(name),
                "confidence", AttributeValue.fromN(Float.toString(confidence)),
                "parents", AttributeValue.fromL(parents.stream().map(Aws::s).toList())));
    }

    /** BatchWriteItem in batches of 25, retrying what moto leaves unprocessed. */
    void putItems(String table, List<Map<String, AttributeValue>> items) {
        for (int i = 0; i < items.size(); i += 25) {
            List<WriteRequest> batch = items.subList(i, Math.min(items.size(), i + 25)).stream()
                    .map(it -> WriteRequest.builder().putRequest(PutRequest.builder().item(it).build()).build())
                    .toList();
            Map<String, List<WriteRequest>> pending = Map.of(table, batch);
            while (!pending.isEmpty()) {
                var request = pending;
                var resp = dynamo.batchWriteItem(b -> b.requestItems(request));
                pending = resp.hasUnprocessedItems() && !resp.unprocessedItems().isEmpty()
                        ? resp.unprocessedItems() : Map.of();
            }
        }
    }

    /** updatedAt, extractedAt and status of those of the given images whose item exists (BatchGetItem, 100 keys a call). */
    Map<String, Item> readable(String table, List<String> imageIds) {
        Map<String, Item> found = new HashMap<>();
        for (int i = 0; i < imageIds.size(); i += 100) {
            List<Map<String, AttributeValue>> keys = imageIds.subList(i, Math.min(imageIds.size(), i + 100)).stream()
                    .map(id -> Map.of("imageId", s(id))).toList();
            Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(keys)
                    .projectionExpression("imageId, updatedAt, extractedAt, #s").expressionAttributeNames(Map.of("#s", "status"))
                    .build());
            while (!pending.isEmpty()) {
                var request = pending;
                var resp = dynamo.batchGetItem(b -> b.requestItems(request)
                        .overrideConfiguration(o -> o.putHeader(AwsCalls.DRIVER_HEADER, "poll")));
                for (var it : resp.responses().getOrDefault(table, List.of())) {
                    found.put(it.get("imageId").s(), new Item(Instant.parse(it.get("updatedAt").s()),
                            it.containsKey("extractedAt") ? Instant.parse(it.get("extractedAt").s()) : null,
                            it.containsKey("status") ? it.get("status").s() : "?"));
                }
                pending = resp.hasUnprocessedKeys() && !resp.unprocessedKeys().isEmpty()
                        ? resp.unprocessedKeys() : Map.of();
            }
        }
        return found;
    }

    /** An image's item as the poller sees it: written at updatedAt, labeled at extractedAt (none when REJECTED early). */
    record Item(Instant updatedAt, Instant extractedAt, String status) {
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    @Override
    public void close() {
        s3.close();
        sqs.close();
        dynamo.close();
        rekognition.close();
        http.close();
    }
}
