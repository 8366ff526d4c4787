package digiads.local;

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
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Provisions the application's AWS resources in the emulator, with the application's own clients
 * and resource names, before Camel starts its consumers: the bucket with its event notification
 * (ObjectCreated, ObjectRemoved and LifecycleExpiration under the image prefix → events queue; moto
 * accepts lifecycle expiration in the configuration, though it never expires objects), both queues
 * each with a dead-letter queue (maxReceiveCount 5), and the metadata table with its TTL attribute.
 * Idempotent. On AWS the same resources come from infrastructure code.
 */
@TestConfiguration(proxyBeanMethods = false)
public class AwsResources {

    private static final Logger LOG = LoggerFactory.getLogger(AwsResources.class);

    public static final int MAX_RECEIVE_COUNT = 5;

    /** Resource URLs/ARNs, once provisioned. */
    public record Provisioned(String eventsQueueUrl, String eventsDlqUrl, String metadataQueueUrl,
                              String metadataDlqUrl) {
    }

    @Bean
    Provisioned provisionedResources(S3Client s3, SqsClient sqs, DynamoDbClient dynamo, Environment env) {
        String eventsDlq = queue(sqs, env.getRequiredProperty("digiads.sqs.events-dlq"), null);
        String events = queue(sqs, env.getRequiredProperty("digiads.sqs.events-queue"), arn(sqs, eventsDlq));
        String metadataDlq = queue(sqs, env.getRequiredProperty("digiads.sqs.metadata-dlq"), null);
        String metadata = queue(sqs, env.getRequiredProperty("digiads.sqs.metadata-queue"), arn(sqs, metadataDlq));
        bucket(s3, env.getRequiredProperty("digiads.s3.bucket"), env.getRequiredProperty("digiads.s3.key-prefix"),
                arn(sqs, events));
        table(dynamo, env.getRequiredProperty("digiads.dynamodb.table"));
        LOG.info("Provisioned bucket, queues and table in {}", env.getProperty("digiads.aws.endpoint-override"));
        return new Provisioned(events, eventsDlq, metadata, metadataDlq);
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

    private static void table(DynamoDbClient dynamo, String table) {
        try {
            dynamo.createTable(b -> b.tableName(table)
                    .keySchema(KeySchemaElement.builder().attributeName("imageId").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("imageId")
                            .attributeType(ScalarAttributeType.S).build())
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
