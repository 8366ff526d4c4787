package digiads.bench;

import java.io.*;
import java.nio.file.Path;
import java.util.*;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.*;

/**
 * infra/resources.json, the one definition of the application's AWS resources (as
 * src/test/java/digiads/local/ResourceDefinition.java reads it for the tests and the local run):
 * the bench provisions its resources in moto from it. Every field is required.
 */
@JsonIgnoreProperties("//")
record ResourceDefinition(Bucket bucket, Map<String, Queue> queues, Table table, IndexTable labelsTable,
                          Map<String, Topic> topics) {

    record Bucket(String name, String keyPrefix, Notification notification, Cors cors) {
    }

    @JsonIgnoreProperties("//")
    record Cors(List<String> allowedMethods, List<String> allowedHeaders, int maxAgeSeconds, List<String> localOrigins) {
    }

    @JsonIgnoreProperties("//")
    record Topic(String name) {
    }

    record Notification(String id, String queue, List<String> events, boolean filterByKeyPrefix) {
    }

    record Queue(String name, int visibilityTimeoutSeconds, int messageRetentionSeconds,
                 DeadLetterQueue deadLetterQueue) {
    }

    record DeadLetterQueue(String name, int messageRetentionSeconds, int maxReceiveCount) {
    }

    record Table(String name, Attribute partitionKey, String ttlAttribute, String billingMode, Index galleryIndex) {
    }

    @JsonIgnoreProperties("//")
    record Index(String name, Attribute partitionKey, Attribute sortKey, String projection) {
    }

    record IndexTable(String name, Attribute partitionKey, Attribute sortKey, String billingMode) {
    }

    record Attribute(String name, String type) {
    }

    /** The definition in the repository at {@code repo}. */
    static ResourceDefinition of(Path repo) {
        Path file = repo.resolve("infra/resources.json");
        try {
            return new ObjectMapper()
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                    .readValue(file.toFile(), ResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the resource definition " + file, e);
        }
    }

    Queue queue(String role) {
        Queue queue = queues.get(role);
        if (queue == null) {
            throw new IllegalStateException("infra/resources.json defines no queue '" + role + "': " + queues.keySet());
        }
        return queue;
    }
}
