package digiads.bench;

import java.util.*;
import java.util.concurrent.atomic.AtomicLong;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The images getDigiAds is asked about, each a metadata item with 3 labels written straight into
 * the app's table (moto's DetectLabels answers a single label, so labeled images would have one).
 */
final class Pools {

    /** Images whose labels nobody has looked up before: every request needs the Deals API. */
    static final class Cold {
        private final Aws aws;
        private final AtomicLong next = new AtomicLong();
        private final AtomicLong exhausted = new AtomicLong();
        private long seeded;

        Cold(Aws aws) {
            this.aws = aws;
        }

        /** Makes sure at least n unused images exist (written between windows, never during one). */
        synchronized void ensure(long n) {
            long available = seeded - next.get();
            if (available >= n) {
                return;
            }
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (long i = seeded; i < seeded + (n - available); i++) {
                items.add(Aws.item(aws.app.bucket(), aws.app.prefix(), "cold-" + i,
                        List.of("Label-" + i + "-a", "Label-" + i + "-b", "Label-" + i + "-c")));
            }
            aws.putItems(aws.app.table(), items);
            seeded += items.size();
        }

        String next() {
            long i = next.getAndIncrement();
            if (i >= seeded) {
                // never expected (ensure() bounds a window's need); counted and reported if it happens
                exhausted.incrementAndGet();
                i = i % Math.max(1, seeded);
            }
            return "cold-" + i;
        }

        long exhausted() {
            return exhausted.get();
        }
    }

    /** A fixed set of images, taken in turn. */
    static final class Fixed {
        final List<String> ids = new ArrayList<>();
        private final AtomicLong next = new AtomicLong();

        Fixed(Aws aws, String prefix, String labelPrefix, int count) {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = prefix + i;
                ids.add(id);
                items.add(Aws.item(aws.app.bucket(), aws.app.prefix(), id,
                        List.of(labelPrefix + i + "-a", labelPrefix + i + "-b", labelPrefix + i + "-c")));
            }
            aws.putItems(aws.app.table(), items);
        }

        String next() {
            return ids.get((int) (next.getAndIncrement() % ids.size()));
        }
    }
}
