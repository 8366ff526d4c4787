package digiads.labels;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a read over the {@value LabelIndex#SHARDS} shards of the index, in one order (newest
 * first for images, by name for labels): a lazy merge that reads each shard a page at a time, from
 * where the cursor left it, and emits an item only once no shard can still hold an earlier one (every
 * shard not read to its end has been read up to or past it). Items of the same key in several shards
 * (a label's counts) are emitted as one group. What a read costs follows the page: each shard is read
 * {@code limit} items at a time, at most {@code maxReads} reads a page; a page that runs out of reads
 * (a filter that passes few items) ends early with a cursor to go on from.
 */
public final class ShardMerge {

    /** Reads up to {@code limit} items of a shard after a sort key (null: from its start). */
    @FunctionalInterface
    public interface ShardReader<T> {
        Chunk<T> read(int shard, String after, int limit);
    }

    /**
     * What one read of a shard found: the items that passed its filter, in order, and the sort key of
     * the last item it examined (null when it reached the shard's end).
     */
    public record Chunk<T>(List<T> items, String lastEvaluated) {
    }

    /** A page and where the next one starts (null: there is none). */
    public record Page<R>(List<R> items, SearchCursor next) {
    }

    /** DynamoDB's order of string keys: by their UTF-8 bytes, unsigned. */
    public static final Comparator<String> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private ShardMerge() {
    }

    /**
     * @param descending whether the page goes from the greatest key down (newest first)
     * @param key        an item's sort key
     * @param combine    the answer for the items of one key (one per shard that has it); null leaves it out
     */
    public static <T, R> Page<R> page(SearchCursor from, int limit, int maxReads, boolean descending,
                                      Function<T, String> key, ShardReader<T> reader, Function<List<T>, R> combine) {
        Comparator<String> order = descending ? BYTE_ORDER.reversed() : BYTE_ORDER;
        int shards = LabelIndex.SHARDS;
        String[] after = from.after().toArray(new String[0]);
        boolean[] done = new boolean[shards];
        String[] frontier = new String[shards];
        boolean[] ended = new boolean[shards];
        List<ArrayDeque<T>> buffers = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            done[s] = from.done().get(s);
            buffers.add(new ArrayDeque<>());
        }
        List<R> out = new ArrayList<>();
        int reads = 0;
        while (out.size() < limit) {
            String best = null;
            for (ArrayDeque<T> buffer : buffers) {
                if (!buffer.isEmpty() && (best == null || order.compare(key.apply(buffer.peek()), best) < 0)) {
                    best = key.apply(buffer.peek());
                }
            }
            List<Integer> toRead = new ArrayList<>();
            for (int s = 0; s < shards; s++) {
                boolean mayHoldMore = !done[s] && !ended[s] && buffers.get(s).isEmpty();
                // the shard's unread items all come after its frontier: read it unless best comes first
                if (mayHoldMore && (frontier[s] == null || best == null || order.compare(frontier[s], best) < 0)) {
                    toRead.add(s);
                }
            }
            if (!toRead.isEmpty()) {
                if (reads + toRead.size() > maxReads) {
                    break;
                }
                for (int s : toRead) {
                    Chunk<T> chunk = reader.read(s, frontier[s] != null ? frontier[s] : after[s], limit);
                    reads++;
                    buffers.get(s).addAll(chunk.items());
                    if (chunk.lastEvaluated() == null) {
                        ended[s] = true;
                    } else {
                        frontier[s] = chunk.lastEvaluated();
                    }
                }
                continue;
            }
            if (best == null) {
                break;
            }
            List<T> group = new ArrayList<>();
            for (int s = 0; s < shards; s++) {
                ArrayDeque<T> buffer = buffers.get(s);
                if (!buffer.isEmpty() && key.apply(buffer.peek()).equals(best)) {
                    group.add(buffer.poll());
                    after[s] = best;
                }
            }
            R answer = combine.apply(group);
            if (answer != null) {
                out.add(answer);
            }
        }
        List<String> positions = new ArrayList<>();
        List<Boolean> finished = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            boolean empty = buffers.get(s).isEmpty();
            boolean shardDone = done[s] || empty && ended[s];
            finished.add(shardDone);
            positions.add(shardDone ? null : empty && frontier[s] != null ? frontier[s] : after[s]);
        }
        SearchCursor next = new SearchCursor(from.query(), positions, finished);
        return new Page<>(out, next.finished() ? null : next);
    }
}
