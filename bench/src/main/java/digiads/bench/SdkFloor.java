package digiads.bench;

import java.lang.management.*;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The floor under the app's CPU per getMetadata: a plain SDK loop's GetItem (the same table and items, consistent read),
 * the calling threads' CPU per call ({@link ThreadMXBean}: signing, marshalling, HTTP, unmarshalling; no GC or JIT).
 */
final class SdkFloor {

    /** @param threadCpuMs the calling thread's CPU per call, in the window */
    record Result(Load.Result run, double threadCpuMs) {
    }

    private SdkFloor() {
    }

    /** One GetItem of an image's item, as getMetadata's read makes it (the suite's warm-up runs it too). */
    static Load.Task getItem(Aws aws, IntFunction<String> imageIds) {
        return client -> aws.dynamo.getItem(b -> b.tableName(aws.app.table()).consistentRead(true)
                .key(Map.of("imageId", AttributeValue.fromS(imageIds.apply(client))))).hasItem()
                ? Load.Outcome.ok(null) : Load.Outcome.error("no item");
    }

    static Result measure(Aws aws, IntFunction<String> imageIds, int clients, Duration warmup, Duration window) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        LongAdder cpuNanos = new LongAdder();
        LongAdder calls = new LongAdder();
        long measureFrom = System.nanoTime() + warmup.toNanos();
        Load.Task getItem = getItem(aws, imageIds);
        Load.Result run = Load.run("sdk-getitem", clients, warmup, window, client -> {
            long before = threads.getCurrentThreadCpuTime();
            Load.Outcome outcome = getItem.call(client);
            if (System.nanoTime() >= measureFrom) {
                cpuNanos.add(threads.getCurrentThreadCpuTime() - before);
                calls.increment();
            }
            return outcome;
        }, null);
        return new Result(run, calls.sum() == 0 ? Double.NaN : cpuNanos.sum() / 1e6 / calls.sum());
    }
}
