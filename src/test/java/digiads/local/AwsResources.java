package digiads.local;

import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Provisions the application's AWS resources in the emulator as {@link ResourceDefinition}
 * (infra/resources.json) defines them, with the application's own clients and resource names,
 * before Camel starts its consumers: the bucket with its event notification (moto accepts lifecycle
 * expiration in the configuration, though it never expires objects), both queues with their
 * visibility timeout, retention and dead-letter queue, the bucket's CORS rule for the page's local
 * origins, the metadata table with its TTL attribute and gallery index, the label index table with its
 * partition and sort key, and the topic of live updates. Idempotent: an existing queue gets the definition's attributes again. On AWS the same
 * resources come from infra/digiads.yaml.
 */
@TestConfiguration(proxyBeanMethods = false)
public class AwsResources {

    private static final Logger LOG = LoggerFactory.getLogger(AwsResources.class);

    /** infra/resources.json of this repository. */
    public static final ResourceDefinition DEFINITION = ResourceDefinition.load();

    /** Resource URLs/ARNs, once provisioned. */
    public record Provisioned(String eventsQueueUrl, String eventsDlqUrl, String metadataQueueUrl,
                              String metadataDlqUrl, String updatesTopicArn) {
    }

    @Bean
    Provisioned provisionedResources(S3Client s3, SqsClient sqs, SnsClient sns, DynamoDbClient dynamo, Environment env) {
        Map<String, String> urls = new HashMap<>();
        DEFINITION.queues().forEach((role, queue) -> {
            // the names the app uses: the definition's unless overridden (digiads.sqs.{role}-queue, -dlq)
            String dlqName = env.getRequiredProperty("digiads.sqs." + role + "-dlq");
            String queueName = env.getRequiredProperty("digiads.sqs." + role + "-queue");
            ResourceDefinition.DeadLetterQueue dlq = queue.deadLetterQueue();
            String dlqUrl = queue(sqs, dlqName, Map.of(
                    QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(dlq.messageRetentionSeconds())));
            String redrive = "{\"deadLetterTargetArn\":\"" + arn(sqs, dlqUrl) + "\",\"maxReceiveCount\":\""
                    + dlq.maxReceiveCount() + "\"}";
            String url = queue(sqs, queueName, Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(queue.visibilityTimeoutSeconds()),
                    QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(queue.messageRetentionSeconds()),
                    QueueAttributeName.REDRIVE_POLICY, redrive));
            urls.put(role + "-dlq", dlqUrl);
            urls.put(role, url);
        });
        String notified = urls.get(DEFINITION.bucket().notification().queue());
        bucket(s3, env.getRequiredProperty("digiads.s3.bucket"), env.getRequiredProperty("digiads.s3.key-prefix"),
                arn(sqs, notified));
        cors(s3, env.getRequiredProperty("digiads.s3.bucket"));
        table(dynamo, env.getRequiredProperty("digiads.dynamodb.table"));
        indexTable(dynamo, env.getRequiredProperty("digiads.dynamodb.labels-table"));
        // the topic the app publishes to: the name of its digiads.live.updates.topic-arn
        String topicArn = env.getRequiredProperty("digiads.live.updates.topic-arn");
        String topic = sns.createTopic(b -> b.name(topicArn.substring(topicArn.lastIndexOf(':') + 1))).topicArn();
        LOG.info("Provisioned bucket, queues, tables and topic of {} in {}", ResourceDefinition.FILE,
                env.getProperty("digiads.aws.endpoint-override"));
        return new Provisioned(urls.get("events"), urls.get("events-dlq"), urls.get("metadata"), urls.get("metadata-dlq"),
                topic);
    }

    /** Creates the queue (or finds it) and sets the attributes on it, also on one that existed. */
    private static String queue(SqsClient sqs, String name, Map<QueueAttributeName, String> attributes) {
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(attributes));
        return url;
    }

    private static String arn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static void bucket(S3Client s3, String bucket, String prefix, String queueArn) {
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            // provisioned before
        }
        ResourceDefinition.Notification notification = DEFINITION.bucket().notification();
        QueueConfiguration.Builder queue = QueueConfiguration.builder().id(notification.id()).queueArn(queueArn)
                .eventsWithStrings(notification.events());
        if (notification.filterByKeyPrefix()) {
            // moto (like S3) wants the rule name in lower case
            queue.filter(f -> f.key(k -> k.filterRules(FilterRule.builder().name("prefix").value(prefix).build())));
        }
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket)
                .notificationConfiguration(n -> n.queueConfigurations(queue.build())));
    }

    /** The page PUTs presigned uploads straight to the bucket from a local origin. */
    private static void cors(S3Client s3, String bucket) {
        ResourceDefinition.Cors cors = DEFINITION.bucket().cors();
        s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(r -> r
                .allowedOrigins(cors.localOrigins()).allowedMethods(cors.allowedMethods())
                .allowedHeaders(cors.allowedHeaders()).maxAgeSeconds(cors.maxAgeSeconds()))));
    }

    /** The label index table as the definition says, under this name (idempotent). */
    public static void indexTable(DynamoDbClient dynamo, String table) {
        ResourceDefinition.IndexTable definition = DEFINITION.labelsTable();
        try {
            dynamo.createTable(b -> b.tableName(table)
                    .keySchema(KeySchemaElement.builder().attributeName(definition.partitionKey().name())
                                    .keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(definition.sortKey().name())
                                    .keyType(KeyType.RANGE).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(definition.partitionKey().name())
                                    .attributeType(definition.partitionKey().type()).build(),
                            AttributeDefinition.builder().attributeName(definition.sortKey().name())
                                    .attributeType(definition.sortKey().type()).build())
                    .billingMode(definition.billingMode()));
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
        } catch (ResourceInUseException e) {
            // provisioned before
        }
    }

    /** The metadata table as the definition says, under this name (idempotent). */
    public static void table(DynamoDbClient dynamo, String table) {
        ResourceDefinition.Table definition = DEFINITION.table();
        String key = definition.partitionKey().name();
        ResourceDefinition.Index gallery = definition.galleryIndex();
        try {
            dynamo.createTable(b -> b.tableName(table)
                    .keySchema(KeySchemaElement.builder().attributeName(key).keyType(KeyType.HASH).build())
                    .attributeDefinitions(attribute(definition.partitionKey()), attribute(gallery.partitionKey()),
                            attribute(gallery.sortKey()))
                    .globalSecondaryIndexes(g -> g.indexName(gallery.name())
                            .keySchema(KeySchemaElement.builder().attributeName(gallery.partitionKey().name())
                                            .keyType(KeyType.HASH).build(),
                                    KeySchemaElement.builder().attributeName(gallery.sortKey().name())
                                            .keyType(KeyType.RANGE).build())
                            .projection(pr -> pr.projectionType(gallery.projection())))
                    .billingMode(definition.billingMode()));
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
            // tombstones expire through the table's TTL attribute
            dynamo.updateTimeToLive(b -> b.tableName(table).timeToLiveSpecification(t -> t
                    .attributeName(definition.ttlAttribute()).enabled(true)));
        } catch (ResourceInUseException e) {
            // provisioned before
        }
    }

    private static AttributeDefinition attribute(ResourceDefinition.Attribute attribute) {
        return AttributeDefinition.builder().attributeName(attribute.name()).attributeType(attribute.type()).build();
    }
}
