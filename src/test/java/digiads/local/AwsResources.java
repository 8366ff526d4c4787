package digiads.local;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Provisions the application's AWS resources in the emulator, with the application's own clients
 * and resource names, before Camel starts its consumers: the bucket with its event notification
 * (ObjectCreated, ObjectRemoved and LifecycleExpiration under the image prefix → events queue; moto
 * accepts lifecycle expiration in the configuration, though it never expires objects) and a CORS rule
 * for the page's local origins, both queues each with a dead-letter queue (maxReceiveCount 5), the
 * metadata table with its TTL attribute and its gallery index, and the topic of live updates.
 * Idempotent. On AWS the same resources come from infrastructure code.
 */
@TestConfiguration(proxyBeanMethods = false)
public class AwsResources {

    private static final Logger LOG = LoggerFactory.getLogger(AwsResources.class);

    public static final int MAX_RECEIVE_COUNT = 5;

    /** Where the page may be served from locally: the bucket lets it PUT presigned uploads (CORS). */
    public static final List<String> PAGE_ORIGINS = List.of("http://127.0.0.1:*", "http://localhost:*");

    /** Resource URLs/ARNs, once provisioned. */
    public record Provisioned(String eventsQueueUrl, String eventsDlqUrl, String metadataQueueUrl,
                              String metadataDlqUrl, String updatesTopicArn) {
    }

    @Bean
    Provisioned provisionedResources(S3Client s3, SqsClient sqs, SnsClient sns, DynamoDbClient dynamo, Environment env) {
        String eventsDlq = queue(sqs, env.getRequiredProperty("digiads.sqs.events-dlq"), null);
        String events = queue(sqs, env.getRequiredProperty("digiads.sqs.events-queue"), arn(sqs, eventsDlq));
        String metadataDlq = queue(sqs, env.getRequiredProperty("digiads.sqs.metadata-dlq"), null);
        String metadata = queue(sqs, env.getRequiredProperty("digiads.sqs.metadata-queue"), arn(sqs, metadataDlq));
        bucket(s3, env.getRequiredProperty("digiads.s3.bucket"), env.getRequiredProperty("digiads.s3.key-prefix"),
                arn(sqs, events));
        cors(s3, env.getRequiredProperty("digiads.s3.bucket"));
        table(dynamo, env.getRequiredProperty("digiads.dynamodb.table"));
        String topicArn = env.getRequiredProperty("digiads.live.updates.topic-arn");
        String topic = sns.createTopic(b -> b.name(topicArn.substring(topicArn.lastIndexOf(':') + 1))).topicArn();
        LOG.info("Provisioned bucket, queues, table and topic in {}", env.getProperty("digiads.aws.endpoint-override"));
        return new Provisioned(events, eventsDlq, metadata, metadataDlq, topic);
    }

    private static String queue(SqsClient sqs, String name, String deadLetterArn) {
        var request = software.amazon.awssdk.services.sqs.model.CreateQueueRequest.builder().queueName(name);
        if (deadLetterArn != null) {
            request.attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                    "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":\"" + MAX_RECEIVE_COUNT + "\"}"));
        }
        return sqs.createQueue(request.build()).queueUrl();
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
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                .queueConfigurations(q -> q.id("digiads-image-events").queueArn(queueArn)
                        .events(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED, Event.S3_LIFECYCLE_EXPIRATION)
                        .filter(f -> f.key(k -> k.filterRules(
                                FilterRule.builder().name("prefix").value(prefix).build()))))));
    }

    /** The page uploads straight to the bucket (presigned PUTs) from its origin. */
    private static void cors(S3Client s3, String bucket) {
        s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(r -> r
                .allowedOrigins(PAGE_ORIGINS).allowedMethods("PUT").allowedHeaders("Content-Type")
                .maxAgeSeconds(600))));
    }

    private static void table(DynamoDbClient dynamo, String table) {
        try {
            dynamo.createTable(b -> b.tableName(table)
                    .keySchema(KeySchemaElement.builder().attributeName("imageId").keyType(KeyType.HASH).build())
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("imageId").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("gallery").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("listedAt").attributeType(ScalarAttributeType.N).build())
                    // the gallery: every listed image in one partition, newest first by listedAt
                    .globalSecondaryIndexes(g -> g.indexName("recent-images")
                            .keySchema(KeySchemaElement.builder().attributeName("gallery").keyType(KeyType.HASH).build(),
                                    KeySchemaElement.builder().attributeName("listedAt").keyType(KeyType.RANGE).build())
                            .projection(pr -> pr.projectionType(ProjectionType.ALL)))
                    .billingMode(BillingMode.PAY_PER_REQUEST));
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
            // tombstones expire through the table's TTL attribute
            dynamo.updateTimeToLive(b -> b.tableName(table).timeToLiveSpecification(t -> t
                    .attributeName("expiresAt").enabled(true)));
        } catch (ResourceInUseException e) {
            // provisioned before
        }
    }
}
