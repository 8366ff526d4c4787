package digiads.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

/**
 * The merge over shards gives every item once, in order, page after page, whatever the page size, the
 * filter and the spread over shards, reading each shard a page at a time; equal keys of several shards
 * are one group.
 */
class ShardMergeTest {

    /** Shards of sorted keys, read as DynamoDB's Query with Limit and a filter reads them. */
    static final class Shards implements ShardMerge.ShardReader<String> {
        final List<List<String>> shards = new ArrayList<>();
        final boolean descending;
        final Predicate<String> filter;
        int reads;
        int examined;

        Shards(boolean descending, Predicate<String> filter) {
            this.descending = descending;
            this.filter = filter;
            for (int s = 0; s < LabelIndex.SHARDS; s++) {
                shards.add(new ArrayList<>());
            }
        }

        void add(int shard, String key) {
            shards.get(shard).add(key);
            Comparator<String> order = descending ? ShardMerge.BYTE_ORDER.reversed() : ShardMerge.BYTE_ORDER;
            shards.get(shard).sort(order);
        }

        @Override
        public ShardMerge.Chunk<String> read(int shard, String after, int limit) {
            reads++;
            List<String> keys = shards.get(shard);
            int from = after == null ? 0 : keys.indexOf(after) + 1;
            int to = Math.min(keys.size(), from + limit);
            List<String> examinedKeys = keys.subList(from, to);
            examined += examinedKeys.size();
            String last = to - from == limit && !examinedKeys.isEmpty() ? examinedKeys.get(examinedKeys.size() - 1) : null;
            return new ShardMerge.Chunk<>(examinedKeys.stream().filter(filter).toList(), last);
        }
    }

    static List<String> all(Shards shards, int limit, int maxReads, boolean descending) {
        List<String> out = new ArrayList<>();
        SearchCursor cursor = SearchCursor.start("q");
        for (int page = 0; page < 10_000; page++) {
            ShardMerge.Page<String> result = ShardMerge.page(cursor, limit, maxReads, descending, k -> k, shards,
                    group -> String.join("+", group));
            assertThat(result.items().size()).isLessThanOrEqualTo(limit);
            out.addAll(result.items());
            if (result.next() == null) {
                return out;
            }
            cursor = SearchCursor.decode(result.next().encode(), "q");
        }
        throw new AssertionError("no end");
    }

    @Test
    void pagesGiveEveryItemOnceNewestFirstWhateverTheSpreadPageSizeAndFilter() {
        for (long seed = 1; seed <= 60; seed++) {
            Random random = new Random(seed);
            boolean filtered = random.nextBoolean();
            Shards shards = new Shards(true, filtered ? k -> k.hashCode() % 5 == 0 : k -> true);
            List<String> expected = new ArrayList<>();
            int n = random.nextInt(300);
            int skew = random.nextInt(3);
            for (int i = 0; i < n; i++) {
                String key = String.format("%06d#%d", random.nextInt(1_000_000), i);
                int shard = skew == 0 ? random.nextInt(LabelIndex.SHARDS) : skew == 1 ? 0 : (i % 7 == 0 ? 3 : 1);
                shards.add(shard, key);
                if (shards.filter.test(key)) {
                    expected.add(key);
                }
            }
            expected.sort(Comparator.reverseOrder());
            int limit = 1 + random.nextInt(60);
            assertThat(all(shards, limit, 4 * LabelIndex.SHARDS, true)).as("seed %d, limit %d", seed, limit)
                    .isEqualTo(expected);
        }
    }

    @Test
    void withoutAFilterAPageIsOneReadOfEachShard() {
        Shards shards = new Shards(true, k -> true);
        for (int i = 0; i < 1000; i++) {
            shards.add(i % LabelIndex.SHARDS, String.format("%06d", i));
        }
        ShardMerge.Page<String> page = ShardMerge.page(SearchCursor.start("q"), 50, 16, true, k -> k, shards,
                g -> g.get(0));
        assertThat(page.items()).hasSize(50).first().isEqualTo("000999");
        assertThat(page.items()).last().isEqualTo("000950");
        assertThat(shards.reads).isEqualTo(LabelIndex.SHARDS);
        assertThat(shards.examined).as("the page, not the table").isEqualTo(4 * 50);
        assertThat(page.next()).isNotNull();
    }

    /** What a page reads follows the page, not the table: the same for 1,000 and for 100,000 images of a label. */
    @Test
    void aPageReadsTheSameWhetherTheLabelHas1000Or100000Images() {
        for (int images : new int[] {1_000, 100_000}) {
            Shards shards = new Shards(true, k -> true);
            List<List<String>> spread = new ArrayList<>();
            for (int s = 0; s < LabelIndex.SHARDS; s++) {
                spread.add(new ArrayList<>());
            }
            for (int i = 0; i < images; i++) {
                spread.get(LabelIndex.shardOf("image-" + i + ".jpg")).add(String.format("%09d", i));
            }
            for (int s = 0; s < LabelIndex.SHARDS; s++) {
                spread.get(s).sort(Comparator.reverseOrder());
                shards.shards.set(s, spread.get(s));
            }
            ShardMerge.Page<String> first = ShardMerge.page(SearchCursor.start("q"), 50, 16, true, k -> k, shards, g -> g.get(0));
            ShardMerge.Page<String> second = ShardMerge.page(first.next(), 50, 16, true, k -> k, shards, g -> g.get(0));
            assertThat(first.items()).hasSize(50).first().isEqualTo(String.format("%09d", images - 1));
            assertThat(second.items()).hasSize(50).first().isEqualTo(String.format("%09d", images - 51));
            assertThat(shards.reads).as(images + " images: Queries for two pages").isEqualTo(2 * LabelIndex.SHARDS);
            assertThat(shards.examined).as(images + " images: items read for two pages").isEqualTo(2 * LabelIndex.SHARDS * 50);
        }
    }

    @Test
    void aFilterThatPassesLittleEndsThePageAtItsReadsWithACursorToGoOn() {
        Shards shards = new Shards(true, k -> k.endsWith("7"));
        for (int i = 0; i < 4000; i++) {
            shards.add(i % LabelIndex.SHARDS, String.format("%06d", i * 10 + (i == 17 ? 7 : 0)));
        }
        ShardMerge.Page<String> first = ShardMerge.page(SearchCursor.start("q"), 10, 8, true, k -> k, shards, g -> g.get(0));
        assertThat(first.items()).isEmpty();
        assertThat(shards.reads).isEqualTo(8);
        assertThat(first.next()).isNotNull();
        assertThat(all(shards, 10, 8, true)).containsExactly("000177");
    }

    @Test
    void equalKeysOfSeveralShardsAreOneGroupAndASkippedGroupDoesNotCount() {
        Shards shards = new Shards(false, k -> true);
        TreeMap<String, Integer> expected = new TreeMap<>();
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            String label = "label" + random.nextInt(80);
            int shard = random.nextInt(LabelIndex.SHARDS);
            if (!shards.shards.get(shard).contains(label)) {
                shards.add(shard, label);
                expected.merge(label, 1, Integer::sum);
            }
        }
        for (int limit : new int[] {1, 3, 10, 100}) {
            List<String> out = new ArrayList<>();
            SearchCursor cursor = SearchCursor.start("");
            do {
                ShardMerge.Page<String> page = ShardMerge.page(cursor, limit, 16, false, k -> k, shards,
                        group -> group.get(0).equals("label1") ? null : group.get(0) + "x" + group.size());
                out.addAll(page.items());
                cursor = page.next();
            } while (cursor != null);
            List<String> wanted = expected.entrySet().stream().filter(e -> !e.getKey().equals("label1"))
                    .map(e -> e.getKey() + "x" + e.getValue()).toList();
            assertThat(out).as("limit " + limit).isEqualTo(wanted);
        }
    }

    @Test
    void keysAreInDynamoDbsByteOrder() {
        // U+FF21 (3 UTF-8 bytes) sorts before U+1F600 (4 bytes, a surrogate pair in Java's UTF-16 order)
        assertThat(ShardMerge.BYTE_ORDER.compare("\uFF21", "\uD83D\uDE00")).isNegative();
        assertThat("\uFF21".compareTo("\uD83D\uDE00")).isPositive();
        assertThat(ShardMerge.BYTE_ORDER.compare("a", "a")).isZero();
        assertThat(ShardMerge.BYTE_ORDER.compare("b", "a")).isPositive();
    }

    @Test
    void anEmptyIndexIsOnePageWithoutCursor() {
        Shards shards = new Shards(true, k -> true);
        ShardMerge.Page<String> page = ShardMerge.page(SearchCursor.start("q"), 50, 16, true, k -> k, shards, g -> g.get(0));
        assertThat(page.items()).isEmpty();
        assertThat(page.next()).isNull();
        assertThat(shards.reads).isEqualTo(LabelIndex.SHARDS);
    }
}
