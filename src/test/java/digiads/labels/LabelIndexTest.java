package digiads.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import digiads.brandsafety.BrandSafetyPolicy;
import digiads.brandsafety.ModerationCategory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Index items from metadata items: keys, shard choice, newest-first sort keys, what is carried. */
class LabelIndexTest {

    static final Instant LABELED = Instant.parse("2026-11-26T11:00:00.123Z");
    /** Violence blocks, alcohol restricts, from 60 % confidence. */
    static final BrandSafetyPolicy POLICY = new BrandSafetyPolicy(EnumSet.of(ModerationCategory.VIOLENCE),
            EnumSet.of(ModerationCategory.ALCOHOL), 60);

    static Map<String, AttributeValue> labeled(String imageId, Object... labels) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("imageId", AttributeValue.fromS(imageId));
        item.put("status", AttributeValue.fromS("LABELED"));
        item.put("extractedAt", AttributeValue.fromS(LABELED.toString()));
        item.put("updatedAt", AttributeValue.fromS("2026-11-26T12:00:00Z"));
        item.put("orderToken", AttributeValue.fromS("T1"));
        List<AttributeValue> list = new java.util.ArrayList<>();
        for (int i = 0; i < labels.length; i += 2) {
            list.add(AttributeValue.fromM(Map.of("name", AttributeValue.fromS((String) labels[i]),
                    "confidence", AttributeValue.fromN(labels[i + 1].toString()),
                    "parents", AttributeValue.fromL(List.of()))));
        }
        item.put("labels", AttributeValue.fromL(list));
        return item;
    }

    @Test
    void anIndexItemPerLabelKeyedByShardLabelAndNewestFirstKey() {
        List<LabelIndex.Entry> entries = LabelIndex.entriesOf(labeled("a/b c.jpg", "Dog", 99.5f, "Golden Retriever", 80f));

        int shard = LabelIndex.shardOf("a/b c.jpg");
        assertThat(entries).hasSize(2);
        LabelIndex.Entry dog = entries.get(0);
        assertThat(dog.item()).isEqualTo(Map.of(
                "pk", AttributeValue.fromS("image#" + shard + "#dog"),
                "sk", AttributeValue.fromS("001795690800123#" + LabelIndex.digest("a/b c.jpg")),
                "imageId", AttributeValue.fromS("a/b c.jpg"),
                "label", AttributeValue.fromS("dog"),
                "name", AttributeValue.fromS("Dog"),
                "confidence", AttributeValue.fromN("99.5"),
                "labeledAt", AttributeValue.fromS("2026-11-26T11:00:00.123Z")));
        assertThat(dog.key()).isEqualTo(Map.of("pk", dog.item().get("pk"), "sk", dog.item().get("sk")));
        assertThat(entries.get(1).label()).isEqualTo("golden retriever");
        assertThat(entries.get(1).key().get("pk").s()).isEqualTo("image#" + shard + "#golden retriever");
    }

    @Test
    void theModerationLabelsOfTheMetadataAreCarriedAndTheVerdictDecidedOnRead() {
        BrandSafetyPolicy policy = POLICY;
        Map<String, AttributeValue> item = labeled("x.jpg", "Knife", 90);
        AttributeValue violence = moderation("Weapon Violence", "Violence", 2, 80);
        item.put("moderationLabels", AttributeValue.fromL(List.of(violence)));
        Map<String, AttributeValue> index = LabelIndex.entriesOf(item).get(0).item();
        assertThat(index.get("moderationLabels")).isEqualTo(AttributeValue.fromL(List.of(violence)));
        assertThat(LabelIndex.hit(index, policy)).isEqualTo(new ImageHit("x.jpg", "Knife", 90f, LABELED, "UNSAFE", true));

        item.put("moderationLabels", AttributeValue.fromL(List.of(moderation("Weapon Violence", "Violence", 2, 50))));
        ImageHit belowTheConfidence = LabelIndex.hit(LabelIndex.entriesOf(item).get(0).item(), policy);
        assertThat(belowTheConfidence.verdict()).isEqualTo("SAFE");
        assertThat(belowTheConfidence.unsafe()).isFalse();

        item.put("moderationLabels", AttributeValue.fromL(List.of(moderation("Alcohol", null, 1, 90))));
        assertThat(LabelIndex.hit(LabelIndex.entriesOf(item).get(0).item(), policy).verdict()).isEqualTo("RESTRICTED");

        item.remove("moderationLabels");
        ImageHit unjudged = LabelIndex.hit(LabelIndex.entriesOf(item).get(0).item(), policy);
        assertThat(unjudged.verdict()).isEqualTo("UNKNOWN");
        assertThat(unjudged.unsafe()).isFalse();
    }

    static AttributeValue moderation(String name, String parent, int level, float confidence) {
        Map<String, AttributeValue> label = new HashMap<>(Map.of("name", AttributeValue.fromS(name),
                "taxonomyLevel", AttributeValue.fromN(Integer.toString(level)),
                "confidence", AttributeValue.fromN(Float.toString(confidence))));
        if (parent != null) {
            label.put("parentName", AttributeValue.fromS(parent));
        }
        return AttributeValue.fromM(label);
    }

    @Test
    void onlyLabeledImagesAreIndexed() {
        assertThat(LabelIndex.entriesOf(null)).isEmpty();
        Map<String, AttributeValue> rejected = labeled("r.jpg", "Dog", 90);
        rejected.put("status", AttributeValue.fromS("REJECTED"));
        assertThat(LabelIndex.entriesOf(rejected)).isEmpty();
        Map<String, AttributeValue> tombstone = labeled("d.jpg", "Dog", 90);
        tombstone.put("status", AttributeValue.fromS("DELETED"));
        assertThat(LabelIndex.entriesOf(tombstone)).isEmpty();
        Map<String, AttributeValue> noLabels = labeled("n.jpg");
        noLabels.remove("labels");
        assertThat(LabelIndex.entriesOf(noLabels)).isEmpty();
        Map<String, AttributeValue> noId = labeled("n.jpg", "Dog", 90);
        noId.remove("imageId");
        assertThat(LabelIndex.entriesOf(noId)).isEmpty();
        Map<String, AttributeValue> labelsNoList = labeled("n.jpg");
        labelsNoList.put("labels", AttributeValue.fromS("not a list"));
        assertThat(LabelIndex.entriesOf(labelsNoList)).isEmpty();
    }

    @Test
    void labelsOfOneNameAreOneItemWithTheHighestConfidenceAndUnusableLabelsAreLeftOut() {
        Map<String, AttributeValue> item = labeled("a.jpg", "dog", 70, "DOG ", 95, "Dog", 80, " ", 99,
                "x".repeat(LabelNames.MAX_LENGTH + 1), 99, "x".repeat(LabelNames.MAX_LENGTH), 60);
        List<AttributeValue> labels = new java.util.ArrayList<>(item.get("labels").l());
        labels.add(AttributeValue.fromM(Map.of("name", AttributeValue.fromS("No confidence"))));
        labels.add(AttributeValue.fromS("not a label"));
        item.put("labels", AttributeValue.fromL(labels));

        List<LabelIndex.Entry> entries = LabelIndex.entriesOf(item);
        assertThat(entries).extracting(LabelIndex.Entry::label).containsExactly("dog", "x".repeat(LabelNames.MAX_LENGTH));
        assertThat(entries.get(0).confidence()).isEqualTo(95f);
        assertThat(entries.get(0).name()).isEqualTo("DOG ");
    }

    @Test
    void atMostTheMostConfidentMaxLabelsAreIndexed() {
        Object[] labels = IntStream.range(0, 30).boxed()
                .flatMap(i -> java.util.stream.Stream.of("label " + i, (Object) (float) i)).toArray();
        List<LabelIndex.Entry> entries = LabelIndex.entriesOf(labeled("many.jpg", labels));
        assertThat(entries).hasSize(LabelIndex.MAX_LABELS);
        assertThat(entries.get(0).label()).isEqualTo("label 29");
        assertThat(entries.get(LabelIndex.MAX_LABELS - 1).label()).isEqualTo("label 6");
    }

    @Test
    void theLabelingTimeIsExtractedAtElseUpdatedAtElseTheEpoch() {
        Map<String, AttributeValue> item = labeled("a.jpg", "Dog", 90);
        assertThat(LabelIndex.labeledAt(item)).isEqualTo(LABELED);
        item.put("extractedAt", AttributeValue.fromS("not a time"));
        assertThat(LabelIndex.labeledAt(item)).isEqualTo(Instant.parse("2026-11-26T12:00:00Z"));
        item.remove("extractedAt");
        assertThat(LabelIndex.labeledAt(item)).isEqualTo(Instant.parse("2026-11-26T12:00:00Z"));
        item.remove("updatedAt");
        assertThat(LabelIndex.labeledAt(item)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void sortKeysOrderByLabelingTimeAndStayShortForTheLongestIds() {
        String longest = "k".repeat(1017);
        String sk = LabelIndex.sortKey(LABELED, longest);
        assertThat(sk).hasSize(15 + 1 + 22).startsWith("001795690800123#");
        assertThat(LabelIndex.sortKey(Instant.ofEpochMilli(999), "a")).startsWith("000000000000999#");
        assertThat(LabelIndex.sortKey(LABELED.plusMillis(1), "a")).isGreaterThan(LabelIndex.sortKey(LABELED, "z"));
        assertThat(LabelIndex.digest("a")).isNotEqualTo(LabelIndex.digest("b")).hasSize(22).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void theShardOfAnImageIsStableAndImagesSpreadOverAllShards() {
        assertThat(LabelIndex.shardOf("beach.jpg")).isEqualTo(LabelIndex.shardOf("beach.jpg"));
        // CRC-32 of "beach.jpg" is fixed: the shard may never change for the life of the table
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update("beach.jpg".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(LabelIndex.shardOf("beach.jpg")).isEqualTo((int) (crc.getValue() % 4));
        int[] counts = new int[LabelIndex.SHARDS];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 4000; i++) {
            int shard = LabelIndex.shardOf("image-" + i + ".jpg");
            assertThat(shard).isBetween(0, LabelIndex.SHARDS - 1);
            counts[shard]++;
            seen.add(shard);
        }
        assertThat(seen).hasSize(LabelIndex.SHARDS);
        assertThat(java.util.Arrays.stream(counts).boxed().toList()).allSatisfy(n -> assertThat(n).as("about a quarter each").isBetween(850, 1150));
        assertThat(LabelIndex.partition("dog", 3)).isEqualTo("image#3#dog");
        assertThat(LabelIndex.countPartition(2)).isEqualTo("count#2");
    }
}
