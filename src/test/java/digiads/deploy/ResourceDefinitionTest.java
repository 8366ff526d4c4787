package digiads.deploy;

import static digiads.deploy.DeployFilesTest.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * infra/resources.json is the one definition of the AWS resources: the app's defaults
 * (application.properties) name them, the app's item layout is their keys, and the emulator setups take
 * every name and setting from the file rather than keeping copies. That the CloudFormation template
 * (infra/digiads.yaml) creates exactly them is a checkov policy (infra/policies/digiads_definition.py).
 */
class ResourceDefinitionTest {

    /** The files that provision the resources in moto, or use them, from the definition. */
    static final List<String> READERS = List.of("docker/provision/provision.py",
            "src/test/java/digiads/local/AwsResources.java", "bench/src/main/java/digiads/bench/Aws.java",
            "reliability/harness.py");

    Path root;
    ResourceDefinition definition;
    Properties app;

    @BeforeEach
    void load() throws Exception {
        root = DeployFilesTest.repositoryRoot();
        definition = ResourceDefinition.read(root.resolve(ResourceDefinition.FILE));
        app = new Properties();
        try (Reader in = Files.newBufferedReader(root.resolve("src/main/resources/application.properties"))) {
            app.load(in);
        }
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
    void theAppPublishesToTheDefinitionsTopic() {
        assertThat(definition.topics()).containsOnlyKeys("updates");
        assertThat(app.getProperty("digiads.live.updates.topic-arn")).endsWith(":" + definition.topics().get("updates").name());
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
}
