package digiads.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import digiads.local.AwsResources;
import digiads.local.MotoServer;
import digiads.metadata.ImageMetadata;
import digiads.metadata.Label;
import digiads.metadata.MetadataItemMapper;
import digiads.metadata.MetadataStatus;
import digiads.metadata.ModerationLabel;
import digiads.metadata.OlderStateException;
import digiads.metadata.StateWriter;
import digiads.metadata.TombstoneLife;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * The index follows the metadata whatever happens: 2,000 create / re-label / reject / delete events of
 * 200 images, in scrambled order, a third of them delivered twice, written through {@link StateWriter}
 * (the bean the store-state route calls) with crafted order tokens, against moto. Races are made on
 * purpose and reproducibly: between the read of the stored item and the transaction, another event of
 * any image (often the same) may be written first; a transaction may fail before it reaches DynamoDB,
 * or after it committed with its answer lost (the event is then delivered again, as SQS would); a
 * tenth of the deliveries claim that nothing was stored, mostly wrongly, so the writer skips its first
 * read and must be stopped by the transaction's condition. At the
 * end the metadata is each image's newest event, and the index and the label counts are exactly what
 * the metadata says, also as the search reads them page by page. The seed is printed, and named in any
 * failure: rerun one with {@code -Dlabels.seed=<seed>}.
 */
class LabelIndexRandomizedIntegrationTest {

    /**
     * Images and events: 60 and 600 in every build (moto copies a table for each transaction, so the time
     * grows with both); the full proof, 200 and 2,000, with -Dlabels.images=200 -Dlabels.events=2000
     * (docs/reliability.md).
     */
    static final int IMAGES = Integer.getInteger("labels.images", 60);
    static final int EVENTS = Integer.getInteger("labels.events", 600);
    static final List<String> VOCABULARY = List.of("Dog", "Cat", "Bird", "Tree", "Car", "Person", "Beach", "Sky",
            "Food", "Pizza", "Flower", "Building", "Boat", "Mountain", "Snow", "Horse", "Bicycle", "Book", "Chair",
            "Table", "Computer", "Phone", "Cup", "Bottle", "Shoe", "Hat", "Ball", "Guitar", "Knife", "Golden Retriever");
    static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    long seed;
    Random random;
    DynamoDbClient dynamo;
    String metadataTable;
    String labelsTable;
    MetadataItemMapper mapper;
    StateWriter writer;
    Deque<Delivery> pending;
    int nested;
    int races;
    int faults;
    int older;

    record Delivery(ImageMetadata state, Map<String, AttributeValue> unknownFields) {
    }

    @BeforeEach
    void setUp() {
        seed = Long.getLong("labels.seed", System.nanoTime());
        System.out.println("LabelIndexRandomizedIntegrationTest seed " + seed + " (rerun: -Dlabels.seed=" + seed + ")");
        random = new Random(seed);
        MotoServer moto = MotoServer.shared();
        dynamo = DynamoDbClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create(moto.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
        String run = UUID.randomUUID().toString().substring(0, 8);
        metadataTable = "random-" + run + "-metadata";
        labelsTable = "random-" + run + "-labels";
        AwsResources.table(dynamo, metadataTable);
        AwsResources.indexTable(dynamo, labelsTable);
        mapper = new MetadataItemMapper(TombstoneLife.fixed(Duration.ofDays(15)));
        writer = new StateWriter(new Racing(), mapper, metadataTable, labelsTable, 10);
    }

    @AfterEach
    void tearDown() {
        dynamo.deleteTable(b -> b.tableName(metadataTable));
        dynamo.deleteTable(b -> b.tableName(labelsTable));
        dynamo.close();
    }

    @Test
    void theIndexAndTheCountsAreExactlyWhatTheMetadataSaysAfterScrambledDuplicatedRacingEvents() {
        List<Delivery> events = new ArrayList<>();
        Map<String, Delivery> newest = new HashMap<>();
        for (int i = 0; i < EVENTS; i++) {
            Delivery event = event("image-" + random.nextInt(IMAGES) + (random.nextInt(10) == 0 ? "/ü +.jpg" : ".jpg"), i);
            events.add(event);
            newest.put(event.state().imageId(), event); // tokens grow with i: the last one is the newest
        }
        List<Delivery> deliveries = new ArrayList<>(events);
        events.stream().filter(e -> random.nextInt(3) == 0).forEach(deliveries::add);
        Collections.shuffle(deliveries, random);
        pending = new ArrayDeque<>(deliveries);

        while (!pending.isEmpty()) {
            deliver(pending.poll());
        }

        try {
            verify(newest);
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + " (rerun: -Dlabels.seed=" + seed + "): " + e.getMessage(), e);
        }
        System.out.printf("%d deliveries: %d raced by another write between read and transaction, %d faults, "
                + "%d older states refused%n", deliveries.size(), races, faults, older);
        assertThat(races).as("races happened").isGreaterThan(EVENTS / 40);
        assertThat(faults).as("faults happened").isGreaterThan(EVENTS / 40);
    }

    /**
     * What the route does with a delivery: write it; an older state is no error; a failure comes back
     * later. One delivery in ten says that its extraction found nothing stored, true or not (most
     * images here have an item by then): a wrong word must cost a retry, never the index.
     */
    void deliver(Delivery delivery) {
        try {
            writer.write(delivery.state(), delivery.unknownFields(), random.nextInt(10) == 0);
        } catch (OlderStateException e) {
            older++;
        } catch (SdkClientException e) {
            pending.add(delivery);
        }
    }

    Delivery event(String imageId, int sequence) {
        String token = "T" + String.format(Locale.ROOT, "%019d", 1_000 + sequence);
        int kind = random.nextInt(20);
        if (kind < 4) {
            return new Delivery(ImageMetadata.deleted(imageId, "bucket", "images/" + imageId, token), null);
        }
        if (kind < 6) {
            return new Delivery(new ImageMetadata(1, 0, imageId, "bucket", "images/" + imageId, "e" + sequence, 5,
                    null, MetadataStatus.REJECTED, "unsupported", List.of(), null, null, null, BASE, null, token), null);
        }
        List<Label> labels = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            String name = VOCABULARY.get(random.nextInt(VOCABULARY.size()));
            name = random.nextInt(5) == 0 ? name.toUpperCase(Locale.ROOT) : name;
            labels.add(new Label(name, 70 + random.nextInt(3000) / 100f, List.of()));
        }
        // labeling times collide now and then (the same millisecond), and do not follow the tokens
        Instant extractedAt = BASE.plusMillis(random.nextInt(5_000));
        // moderated (safe, or violent: unsafe) or not (a release before moderation wrote it)
        int moderated = random.nextInt(4);
        List<ModerationLabel> moderation = moderated == 0 ? null : moderated == 1
                ? List.of(new ModerationLabel("Graphic Violence", "Violence", 2, 90)) : List.of();
        return new Delivery(new ImageMetadata(1, 0, imageId, "bucket", "images/" + imageId, "e" + sequence, 5,
                "image/jpeg", MetadataStatus.LABELED, null, labels, "3.0", moderation,
                moderation == null ? null : "7.0", extractedAt, null, token), null);
    }

    void verify(Map<String, Delivery> newest) {
        // 1. the metadata is each image's newest event
        Map<String, Map<String, AttributeValue>> stored = new TreeMap<>();
        dynamo.scanPaginator(b -> b.tableName(metadataTable).consistentRead(true)).items()
                .forEach(item -> stored.put(item.get("imageId").s(), item));
        assertThat(stored.keySet()).as("images with metadata").isEqualTo(new TreeMap<>(newest).keySet());
        newest.forEach((imageId, event) -> {
            ImageMetadata metadata = mapper.fromItem(stored.get(imageId));
            assertThat(metadata.orderToken()).as(imageId + " token").isEqualTo(event.state().orderToken());
            assertThat(metadata.status()).as(imageId + " status").isEqualTo(event.state().status());
            assertThat(metadata.labels()).as(imageId + " labels").isEqualTo(event.state().labels());
        });

        // 2. the index is exactly the metadata's labels (computed here, not by the code under test)
        List<Map<String, String>> expected = new ArrayList<>();
        Map<String, Integer> expectedCounts = new TreeMap<>();
        stored.forEach((imageId, item) -> {
            if (!"LABELED".equals(item.get("status").s())) {
                return;
            }
            Map<String, AttributeValue> best = new HashMap<>();
            for (AttributeValue label : item.get("labels").l()) {
                String key = label.m().get("name").s().trim().toLowerCase(Locale.ROOT);
                AttributeValue kept = best.get(key);
                if (kept == null || Float.parseFloat(label.m().get("confidence").n())
                        > Float.parseFloat(kept.m().get("confidence").n())) {
                    best.put(key, label);
                }
            }
            best.forEach((label, value) -> {
                Map<String, String> entry = new TreeMap<>();
                entry.put("pk", "image#" + LabelIndex.shardOf(imageId) + "#" + label);
                entry.put("sk", LabelIndex.sortKey(Instant.parse(item.get("extractedAt").s()), imageId));
                entry.put("imageId", imageId);
                entry.put("label", label);
                entry.put("name", value.m().get("name").s());
                entry.put("confidence", value.m().get("confidence").n());
                entry.put("labeledAt", item.get("extractedAt").s());
                if (item.containsKey("moderationLabels")) {
                    entry.put("moderationLabels", item.get("moderationLabels").toString());
                }
                expected.add(entry);
                expectedCounts.merge(label, 1, Integer::sum);
            });
        });
        List<Map<String, String>> index = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        dynamo.scanPaginator(b -> b.tableName(labelsTable).consistentRead(true)).items().forEach(item -> {
            if (item.get("pk").s().startsWith("count#")) {
                counts.merge(item.get("sk").s(), Integer.parseInt(item.get("images").n()), Integer::sum);
                return;
            }
            Map<String, String> entry = new TreeMap<>();
            item.forEach((name, value) -> entry.put(name, value.hasL() ? value.toString()
                    : value.s() != null ? value.s() : value.n()));
            index.add(entry);
        });
        Comparator<Map<String, String>> byKey = Comparator.comparing((Map<String, String> e) -> e.get("pk"))
                .thenComparing(e -> e.get("sk"));
        index.sort(byKey);
        expected.sort(byKey);
        assertThat(index).as("index items").isEqualTo(expected);

        // 3. the counts: images carrying each label (labels no image carries any more count 0)
        counts.values().removeIf(n -> n == 0);
        assertThat(counts).as("label counts").isEqualTo(expectedCounts);

        // 4. the search reads the same, page by page, newest first; the label list has the counts
        LabelSearch search = new LabelSearch(dynamo, labelsTable, 50, 100, LabelIndexTest.POLICY);
        for (String label : List.of("dog", "golden retriever", "knife", "pizza")) {
            List<String> wanted = expected.stream().filter(e -> e.get("label").equals(label))
                    .sorted(Comparator.comparing((Map<String, String> e) -> e.get("sk")).reversed())
                    .map(e -> e.get("imageId")).toList();
            List<String> found = new ArrayList<>();
            String cursor = null;
            do {
                ImagePage page = search.images(label.toUpperCase(Locale.ROOT), null, "7", cursor);
                page.images().forEach(hit -> {
                    found.add(hit.imageId());
                    // the newest state's moderation decides: none UNKNOWN, nothing found SAFE, violence UNSAFE
                    var moderation = newest.get(hit.imageId()).state().moderation();
                    String verdict = moderation == null ? "UNKNOWN" : moderation.labels().isEmpty() ? "SAFE" : "UNSAFE";
                    assertThat(hit.verdict()).as(hit.imageId() + " verdict").isEqualTo(verdict);
                    assertThat(hit.unsafe()).isEqualTo(verdict.equals("UNSAFE"));
                });
                cursor = page.nextCursor();
            } while (cursor != null);
            assertThat(found).as("search for " + label).isEqualTo(wanted);
        }
        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            LabelPage page = search.labels("4", cursor);
            page.labels().forEach(l -> listed.add(l.label() + "=" + l.images()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(listed).as("label list").isEqualTo(expectedCounts.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(ShardMerge.BYTE_ORDER)).map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /**
     * The client the writer gets: moto's, with races and faults. After a read of the stored item another
     * pending event may be written first (nested, up to 3 deep); a transaction may fail before it is sent
     * or after it committed.
     */
    final class Racing implements DynamoDbClient {

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            GetItemResponse read = dynamo.getItem(request);
            if (nested < 3 && !pending.isEmpty() && random.nextInt(4) == 0) {
                races++;
                nested++;
                try {
                    // often an event of the same image: the race that matters
                    Delivery other = random.nextBoolean() ? sameImage(request.key().get("imageId").s()) : null;
                    if (other == null) {
                        other = pending.poll();
                    }
                    deliver(other);
                } finally {
                    nested--;
                }
            }
            return read;
        }

        private Delivery sameImage(String imageId) {
            for (Delivery d : pending) {
                if (d.state().imageId().equals(imageId)) {
                    pending.remove(d);
                    return d;
                }
            }
            return null;
        }

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            int fault = random.nextInt(20);
            if (fault == 0) {
                faults++;
                throw SdkClientException.create("injected: the transaction never reached DynamoDB");
            }
            TransactWriteItemsResponse response = dynamo.transactWriteItems(request);
            if (fault == 1) {
                faults++;
                throw SdkClientException.create("injected: the transaction committed, its answer was lost");
            }
            return response;
        }

        @Override
        public QueryResponse query(QueryRequest request) {
            return dynamo.query(request);
        }

        @Override
        public String serviceName() {
            return dynamo.serviceName();
        }

        @Override
        public void close() {
        }
    }
}
