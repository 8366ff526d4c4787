package digiads.labels;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

import digiads.brandsafety.BrandSafety;
import digiads.brandsafety.BrandSafetyPolicy;
import digiads.metadata.MetadataItemMapper;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The label index (table {@code digiads.dynamodb.labels-table}): one item per image and label, and
 * per label a count of the images carrying it, all derived from the image's metadata item.
 *
 * <p><b>Index items.</b> Partition key {@value #PK} = {@code image#<shard>#<normalized label>}, sort key
 * {@value #SK} = {@code <labeledAt, epoch ms, 15 digits>#<digest of the imageId>}: a Query of one
 * partition, newest first ({@code ScanIndexForward=false}), reads a page of the label's images in that
 * shard, whatever the table holds. The digest (22 characters of SHA-256, base64url) keeps the sort key
 * within DynamoDB's 1,024 bytes for every imageId (S3 keys reach 1,024 bytes); the imageId itself is an
 * attribute. Attributes: {@code imageId}, {@code label} (the normalized name), {@code name} (as
 * Rekognition wrote it), {@code confidence}, {@code labeledAt}, and {@code verdict} when the metadata
 * item has one (brand safety).
 *
 * <p><b>Shards.</b> An image's items go to shard {@link #shardOf} (CRC-32 of the imageId, modulo
 * {@value #SHARDS}), so a very common label spreads its writes over {@value #SHARDS} partitions. The
 * shard of an image never changes, which is what lets a state change find (and delete) the items of
 * the state before it: {@value #SHARDS} is fixed for the life of the table.
 *
 * <p><b>Counts.</b> Partition key {@code count#<shard>}, sort key the normalized label, attribute
 * {@value #IMAGES}: the number of images of that shard that carry the label (changed by ADD in the
 * state's transaction), and {@code name}. A label's count is the sum over the shards.
 *
 * <p>Only LABELED images are indexed; an image's labels are deduplicated by normalized name (the most
 * confident kept), and at most {@value #MAX_LABELS} of them (the most confident) are indexed, so that
 * one state change stays within a transaction's 100 actions ({@code digiads.rekognition.max-labels}
 * is 10).
 */
public final class LabelIndex {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final int SHARDS = 4;
    /** Labels of one image that are indexed at most: 1 + 2 × (24 old + 24 new) = 97 actions ≤ 100. */
    public static final int MAX_LABELS = 24;

    public static final String IMAGE_ID = "imageId";
    public static final String LABEL = "label";
    public static final String NAME = "name";
    public static final String CONFIDENCE = "confidence";
    public static final String LABELED_AT = "labeledAt";
    public static final String MODERATION_LABELS = "moderationLabels";
    public static final String IMAGES = "images";

    private static final int DIGEST_CHARS = 22;

    private LabelIndex() {
    }

    /** The shard of an image's index items and counts: stable for the imageId. */
    public static int shardOf(String imageId) {
        CRC32 crc = new CRC32();
        crc.update(imageId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % SHARDS);
    }

    /** The partition of a label's index items in a shard. */
    public static String partition(String label, int shard) {
        return "image#" + shard + "#" + label;
    }

    /** The partition of a shard's label counts. */
    public static String countPartition(int shard) {
        return "count#" + shard;
    }

    /** The newest-first sort key of an image's index item: when it was labeled, then its digest. */
    public static String sortKey(Instant labeledAt, String imageId) {
        return String.format(Locale.ROOT, "%015d", labeledAt.toEpochMilli()) + "#" + digest(imageId);
    }

    static String digest(String imageId) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(imageId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha).substring(0, DIGEST_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** One index item: an image carrying a label. */
    public record Entry(String imageId, String label, String name, float confidence, Instant labeledAt,
                        AttributeValue moderationLabels) {

        public int shard() {
            return shardOf(imageId);
        }

        public Map<String, AttributeValue> key() {
            return Map.of(PK, s(partition(label, shard())), SK, s(sortKey(labeledAt, imageId)));
        }

        public Map<String, AttributeValue> item() {
            Map<String, AttributeValue> item = new HashMap<>(key());
            item.put(IMAGE_ID, s(imageId));
            item.put(LABEL, s(label));
            item.put(NAME, s(name));
            item.put(CONFIDENCE, AttributeValue.fromN(Float.toString(confidence)));
            item.put(LABELED_AT, s(labeledAt.toString()));
            if (moderationLabels != null) {
                item.put(MODERATION_LABELS, moderationLabels);
            }
            return item;
        }
    }

    /**
     * The index items of a metadata item (as stored, or as about to be put): none unless it is LABELED.
     * Read from the item's attributes rather than a typed record, so that the items of a stored state
     * are found again from what is stored, and attributes of newer minor versions ({@code verdict}) are
     * carried.
     */
    public static List<Entry> entriesOf(Map<String, AttributeValue> metadata) {
        if (metadata == null || !"LABELED".equals(string(metadata, "status"))) {
            return List.of();
        }
        String imageId = string(metadata, "imageId");
        AttributeValue labels = metadata.get("labels");
        if (imageId == null || labels == null || !labels.hasL()) {
            return List.of();
        }
        Instant labeledAt = labeledAt(metadata);
        AttributeValue moderationLabels = metadata.get(MODERATION_LABELS);
        Map<String, Entry> byLabel = new LinkedHashMap<>();
        for (AttributeValue value : labels.l()) {
            Map<String, AttributeValue> label = value.hasM() ? value.m() : Map.of();
            String name = string(label, "name");
            String normalized = LabelNames.normalize(name);
            AttributeValue confidence = label.get(CONFIDENCE);
            if (normalized == null || normalized.length() > LabelNames.MAX_LENGTH || confidence == null
                    || confidence.n() == null) {
                continue;
            }
            Entry entry = new Entry(imageId, normalized, name, Float.parseFloat(confidence.n()), labeledAt,
                    moderationLabels);
            byLabel.merge(normalized, entry, (a, b) -> b.confidence() > a.confidence() ? b : a);
        }
        List<Entry> entries = new ArrayList<>(byLabel.values());
        entries.sort(Comparator.comparingDouble(Entry::confidence).reversed());
        return List.copyOf(entries.subList(0, Math.min(MAX_LABELS, entries.size())));
    }

    /** When the state was labeled: its extractedAt, else its updatedAt, else the epoch. */
    static Instant labeledAt(Map<String, AttributeValue> metadata) {
        for (String attribute : List.of("extractedAt", "updatedAt")) {
            String value = string(metadata, attribute);
            if (value != null) {
                try {
                    return Instant.parse(value);
                } catch (DateTimeParseException e) {
                    // not a time this release writes: try the next
                }
            }
        }
        return Instant.EPOCH;
    }

    /**
     * An index item as the search answers it, with the image's brand-safety verdict decided now from the
     * moderation labels the item carries and the current policy, as getMetadata decides it (UNKNOWN for
     * an image that was not moderated).
     */
    public static ImageHit hit(Map<String, AttributeValue> item, BrandSafetyPolicy policy) {
        AttributeValue moderation = item.get(MODERATION_LABELS);
        BrandSafety safety = moderation == null || !moderation.hasL() ? BrandSafety.UNKNOWN
                : policy.verdict(moderation.l().stream().map(MetadataItemMapper::moderationLabel).toList());
        return new ImageHit(string(item, IMAGE_ID), string(item, NAME), Float.parseFloat(item.get(CONFIDENCE).n()),
                Instant.parse(string(item, LABELED_AT)), safety.verdict().name(),
                safety.verdict() == BrandSafety.Verdict.UNSAFE);
    }

    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
