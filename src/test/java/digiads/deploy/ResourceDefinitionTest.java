package digiads.deploy;

import static digiads.deploy.DeployFilesTest.list;
import static digiads.deploy.DeployFilesTest.map;
import static digiads.deploy.DeployFilesTest.read;
import static digiads.deploy.DeployFilesTest.ref;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import digiads.labels.LabelIndex;
import digiads.local.ResourceDefinition;
import digiads.metadata.MetadataItemMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * infra/resources.json is the one definition of the AWS resources: the CloudFormation template
 * (infra/digiads.yaml) creates exactly them on AWS, the app's defaults (application.properties) name
 * them, and the emulator setups take every name and setting from the file rather than keeping copies.
 * Compared per resource: names (the template's parameter defaults, the app's keys), visibility timeout,
 * retention, redrive (count and target), dead-letter retention, the bucket's notification (queue,
 * events, prefix filter), the table's key, TTL attribute and billing mode. The template's resources
 * are found by name (the parameter whose default is the definition's name), not by their logical ids.
 */
class ResourceDefinitionTest {

    /** The files that provision the resources in moto, or use them, from the definition. */
    static final List<String> READERS = List.of("docker/provision/provision.py",
            "src/test/java/digiads/local/AwsResources.java", "bench/src/main/java/digiads/bench/Aws.java",
            "reliability/harness.py");

    Path root;
    ResourceDefinition definition;
    Properties app;
    Map<String, Object> parameters;
    Map<String, Object> resources;

    @BeforeEach
    void load() throws Exception {
        root = DeployFilesTest.repositoryRoot();
        definition = ResourceDefinition.read(root.resolve(ResourceDefinition.FILE));
        app = new Properties();
        try (Reader in = Files.newBufferedReader(root.resolve("src/main/resources/application.properties"))) {
            app.load(in);
        }
        Map<String, Object> template = DeployFilesTest.yaml(root.resolve("infra/digiads.yaml"));
        parameters = map(template.get("Parameters"));
        resources = map(template.get("Resources"));
    }

    // --- names -----------------------------------------------------------------------------------------

    @Test
    void theAppsDefaultsNameTheDefinitionsResources() {
        assertThat(app.getProperty("digiads.s3.bucket")).isEqualTo(definition.bucket().name());
        assertThat(app.getProperty("digiads.s3.key-prefix")).isEqualTo(definition.bucket().keyPrefix());
        assertThat(app.getProperty("digiads.dynamodb.table")).isEqualTo(definition.table().name());
        assertThat(app.getProperty("digiads.dynamodb.labels-table")).isEqualTo(definition.labelsTable().name());
        assertThat(definition.queues()).as("the app's queues, by role").containsOnlyKeys("events", "metadata");
        definition.queues().forEach((role, queue) -> {
            assertThat(app.getProperty("digiads.sqs." + role + "-queue")).as(role + " queue").isEqualTo(queue.name());
            assertThat(app.getProperty("digiads.sqs." + role + "-dlq")).as(role + " DLQ")
                    .isEqualTo(queue.deadLetterQueue().name());
        });
    }

    /** What the consumers receive with and extend a message's visibility by is the queue's own visibility timeout. */
    @Test
    void theAppsVisibilityTimeoutsAreTheQueues() {
        definition.queues().forEach((role, queue) -> {
            String key = "digiads.sqs." + role + "-visibility-timeout-seconds";
            assertThat(app.getProperty(key)).as(key).isNotBlank();
            assertThat(Integer.parseInt(app.getProperty(key).trim())).as(key).isEqualTo(queue.visibilityTimeoutSeconds());
        });
    }

    // --- the template ----------------------------------------------------------------------------------

    @Test
    void theTemplatesQueuesAreTheDefinitions() {
        Set<String> found = new TreeSet<>();
        definition.queues().forEach((role, queue) -> {
            String queueId = queueNamed(queue.name());
            Map<String, Object> properties = properties(queueId);
            assertThat(properties.get("VisibilityTimeout")).as(queueId + " VisibilityTimeout")
                    .isEqualTo(queue.visibilityTimeoutSeconds());
            assertThat(properties.get("MessageRetentionPeriod")).as(queueId + " MessageRetentionPeriod")
                    .isEqualTo(queue.messageRetentionSeconds());

            ResourceDefinition.DeadLetterQueue dlq = queue.deadLetterQueue();
            String dlqId = queueNamed(dlq.name());
            Map<String, Object> redrive = map(properties.get("RedrivePolicy"));
            assertThat(ref(redrive.get("deadLetterTargetArn"))).as(queueId + " redrive target").isEqualTo(dlqId + ".Arn");
            assertThat(redrive.get("maxReceiveCount")).as(queueId + " maxReceiveCount").isEqualTo(dlq.maxReceiveCount());

            Map<String, Object> dlqProperties = properties(dlqId);
            assertThat(dlqProperties.get("MessageRetentionPeriod")).as(dlqId + " MessageRetentionPeriod")
                    .isEqualTo(dlq.messageRetentionSeconds());
            // the definition gives a DLQ SQS's default visibility timeout, as the emulator setups do
            assertThat(dlqProperties).as(dlqId).doesNotContainKeys("VisibilityTimeout", "RedrivePolicy");
            found.add(queueId);
            found.add(dlqId);
        });
        assertThat(found).as("the definition's queues are all of the template's")
                .isEqualTo(new TreeSet<>(resourcesOfType("AWS::SQS::Queue").keySet()));
    }

    @Test
    void theTemplatesBucketNotifiesAsTheDefinitionSays() {
        ResourceDefinition.Bucket bucket = definition.bucket();
        String bucketId = namedResource("AWS::S3::Bucket", "BucketName", bucket.name());
        String queueArn = queueNamed(definition.notifiedQueue().name()) + ".Arn";
        List<Object> configurations = list(map(properties(bucketId).get("NotificationConfiguration"))
                .get("QueueConfigurations"));
        assertThat(configurations.stream().map(c -> String.valueOf(map(c).get("Event"))).toList())
                .as(bucketId + " events").containsExactlyInAnyOrderElementsOf(bucket.notification().events());
        for (Object configuration : configurations) {
            Map<String, Object> queue = map(configuration);
            String event = String.valueOf(queue.get("Event"));
            assertThat(ref(queue.get("Queue"))).as(event + " goes to").isEqualTo(queueArn);
            if (bucket.notification().filterByKeyPrefix()) {
                List<Object> rules = list(map(map(queue.get("Filter")).get("S3Key")).get("Rules"));
                assertThat(rules).as(event + " filter").hasSize(1);
                assertThat(map(rules.get(0)).get("Name")).as(event + " filter").isEqualTo("prefix");
                assertThat(parameterDefault(ref(map(rules.get(0)).get("Value")))).as(event + " prefix")
                        .isEqualTo(bucket.keyPrefix());
            } else {
                assertThat(queue).as(event).doesNotContainKey("Filter");
            }
        }
        assertThat(parameterDefault("KeyPrefix")).as("KeyPrefix default").isEqualTo(bucket.keyPrefix());
    }

    @Test
    void theTemplatesTableIsTheDefinitions() {
        ResourceDefinition.Table table = definition.table();
        String tableId = namedResource("AWS::DynamoDB::Table", "TableName", table.name());
        Map<String, Object> properties = properties(tableId);
        String key = table.partitionKey().name();
        assertThat(list(properties.get("KeySchema"))).as(tableId + " KeySchema")
                .containsExactly(Map.of("AttributeName", key, "KeyType", "HASH"));
        assertThat(list(properties.get("AttributeDefinitions"))).as(tableId + " AttributeDefinitions")
                .contains(Map.of("AttributeName", key, "AttributeType", table.partitionKey().type()));
        assertThat(properties.get("BillingMode")).as(tableId + " BillingMode").isEqualTo(table.billingMode());
        assertThat(map(properties.get("TimeToLiveSpecification"))).as(tableId + " TTL")
                .isEqualTo(Map.of("AttributeName", table.ttlAttribute(), "Enabled", true));
    }

    @Test
    void theTemplatesLabelIndexTableIsTheDefinitions() {
        ResourceDefinition.IndexTable table = definition.labelsTable();
        String tableId = namedResource("AWS::DynamoDB::Table", "TableName", table.name());
        Map<String, Object> properties = properties(tableId);
        assertThat(list(properties.get("KeySchema"))).as(tableId + " KeySchema").containsExactly(
                Map.of("AttributeName", table.partitionKey().name(), "KeyType", "HASH"),
                Map.of("AttributeName", table.sortKey().name(), "KeyType", "RANGE"));
        assertThat(list(properties.get("AttributeDefinitions"))).as(tableId + " AttributeDefinitions").containsExactly(
                Map.of("AttributeName", table.partitionKey().name(), "AttributeType", table.partitionKey().type()),
                Map.of("AttributeName", table.sortKey().name(), "AttributeType", table.sortKey().type()));
        assertThat(properties.get("BillingMode")).as(tableId + " BillingMode").isEqualTo(table.billingMode());
        assertThat(properties).as(tableId + ": its items leave with their image's state, not by TTL")
                .doesNotContainKey("TimeToLiveSpecification");
        assertThat(resourcesOfType("AWS::DynamoDB::Table")).as("the definition's tables are all of the template's")
                .containsOnlyKeys(tableId, namedResource("AWS::DynamoDB::Table", "TableName", definition.table().name()));
    }

    /** The index table's keys are those the app writes its index items with. */
    @Test
    void theLabelIndexTablesKeysAreTheAppsItemLayout() {
        assertThat(definition.labelsTable().partitionKey()).isEqualTo(new ResourceDefinition.Attribute(LabelIndex.PK, "S"));
        assertThat(definition.labelsTable().sortKey()).isEqualTo(new ResourceDefinition.Attribute(LabelIndex.SK, "S"));
    }

    /** The table's key and TTL attribute are those the app writes its items with. */
    @Test
    void theTablesAttributesAreTheAppsItemLayout() {
        assertThat(definition.table().partitionKey().name()).isEqualTo(MetadataItemMapper.KEY);
        assertThat(definition.table().partitionKey().type()).isEqualTo("S");
        assertThat(definition.table().ttlAttribute()).isEqualTo(MetadataItemMapper.EXPIRES_AT);
        ResourceDefinition.Index gallery = definition.table().galleryIndex();
        assertThat(gallery.name()).isEqualTo(MetadataItemMapper.RECENT_INDEX);
        assertThat(gallery.partitionKey()).isEqualTo(new ResourceDefinition.Attribute(MetadataItemMapper.GALLERY, "S"));
        assertThat(gallery.sortKey()).isEqualTo(new ResourceDefinition.Attribute(MetadataItemMapper.LISTED_AT, "N"));
    }

    @Test
    void theTemplatesGalleryIndexIsTheDefinitions() {
        ResourceDefinition.Table table = definition.table();
        ResourceDefinition.Index gallery = table.galleryIndex();
        Map<String, Object> properties = properties(namedResource("AWS::DynamoDB::Table", "TableName", table.name()));
        assertThat(list(properties.get("AttributeDefinitions"))).as("attribute definitions").containsExactlyInAnyOrder(
                Map.of("AttributeName", table.partitionKey().name(), "AttributeType", table.partitionKey().type()),
                Map.of("AttributeName", gallery.partitionKey().name(), "AttributeType", gallery.partitionKey().type()),
                Map.of("AttributeName", gallery.sortKey().name(), "AttributeType", gallery.sortKey().type()));
        List<Object> indexes = list(properties.get("GlobalSecondaryIndexes"));
        assertThat(indexes).hasSize(1);
        Map<String, Object> index = map(indexes.get(0));
        assertThat(index.get("IndexName")).isEqualTo(gallery.name());
        assertThat(list(index.get("KeySchema"))).containsExactly(
                Map.of("AttributeName", gallery.partitionKey().name(), "KeyType", "HASH"),
                Map.of("AttributeName", gallery.sortKey().name(), "KeyType", "RANGE"));
        assertThat(map(index.get("Projection"))).isEqualTo(Map.of("ProjectionType", gallery.projection()));
    }

    @Test
    void theTemplatesBucketLetsThePageUploadAsTheDefinitionSays() {
        ResourceDefinition.Cors cors = definition.bucket().cors();
        Map<String, Object> properties = properties(namedResource("AWS::S3::Bucket", "BucketName", definition.bucket().name()));
        List<Object> rules = list(map(properties.get("CorsConfiguration")).get("CorsRules"));
        assertThat(rules).hasSize(1);
        Map<String, Object> rule = map(rules.get(0));
        assertThat(rule.get("AllowedMethods")).isEqualTo(cors.allowedMethods());
        assertThat(rule.get("AllowedHeaders")).isEqualTo(cors.allowedHeaders());
        assertThat(rule.get("MaxAge")).isEqualTo(cors.maxAgeSeconds());
        // on AWS the page's own origin only
        assertThat(list(rule.get("AllowedOrigins"))).containsExactly(Map.of("Fn::Sub", "https://${HostName}"));
    }

    @Test
    void theTemplatesTopicsAreTheDefinitionsAndTheAppPublishesToIt() {
        assertThat(definition.topics()).containsOnlyKeys("updates");
        String name = definition.topics().get("updates").name();
        String topicId = namedResource("AWS::SNS::Topic", "TopicName", name);
        assertThat(app.getProperty("digiads.live.updates.topic-arn")).endsWith(":" + name);
        assertThat(topicId).isEqualTo("UpdatesTopic");
    }

    // --- the readers -----------------------------------------------------------------------------------

    /**
     * The emulator setups take the names and settings from the definition: none of them spells a
     * name, an event type, the TTL attribute, the billing mode or a retention of the definition.
     * (The key attribute is left out: it is the items' layout too, which the bench writes.)
     */
    @Test
    void theReadersKeepNoCopyOfTheDefinition() {
        Set<String> values = new TreeSet<>(List.of(definition.bucket().name(), definition.bucket().notification().id(),
                definition.table().name(), definition.table().ttlAttribute(), definition.table().billingMode(),
                definition.labelsTable().name(), definition.table().galleryIndex().name(),
                definition.topics().get("updates").name()));
        values.addAll(definition.bucket().cors().localOrigins());
        values.addAll(definition.bucket().notification().events());
        definition.queues().values().forEach(queue -> Stream.of(queue.name(), queue.deadLetterQueue().name(),
                Integer.toString(queue.messageRetentionSeconds()),
                Integer.toString(queue.deadLetterQueue().messageRetentionSeconds())).forEach(values::add));
        Map<String, List<String>> copies = new LinkedHashMap<>();
        for (String reader : READERS) {
            String text = read(root.resolve(reader));
            assertThat(text).as(reader).contains("resources.json");
            List<String> found = values.stream().filter(value -> value.matches("[0-9]+")
                    ? Pattern.compile("\\b" + value + "\\b").matcher(text).find()
                    : text.contains("\"" + value + "\"") || text.contains("'" + value + "'")).toList();
            if (!found.isEmpty()) {
                copies.put(reader, found);
            }
        }
        assertThat(copies).as("values of %s spelled out by its readers", ResourceDefinition.FILE).isEmpty();
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /** The AWS::SQS::Queue whose QueueName is the parameter that defaults to this name. */
    String queueNamed(String name) {
        return namedResource("AWS::SQS::Queue", "QueueName", name);
    }

    /** The one resource of the type whose name property refers to a parameter with this default. */
    String namedResource(String type, String nameProperty, String name) {
        List<String> named = resourcesOfType(type).entrySet().stream()
                .filter(r -> map(r.getValue()).get("Properties") != null)
                .filter(r -> map(map(r.getValue()).get("Properties")).containsKey(nameProperty))
                .filter(r -> name.equals(parameterDefault(ref(map(map(r.getValue()).get("Properties")).get(nameProperty)))))
                .map(Map.Entry::getKey).toList();
        assertThat(named).as("the %s named %s (a parameter defaulting to it as its %s)", type, name, nameProperty)
                .hasSize(1);
        return named.get(0);
    }

    Object parameterDefault(String parameter) {
        Object definitionOf = parameters.get(parameter);
        return definitionOf == null ? null : map(definitionOf).get("Default");
    }

    Map<String, Object> resourcesOfType(String type) {
        Map<String, Object> found = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                found.put(id, resource);
            }
        });
        return found;
    }

    Map<String, Object> properties(String id) {
        return map(map(resources.get(id)).get("Properties"));
    }
}
