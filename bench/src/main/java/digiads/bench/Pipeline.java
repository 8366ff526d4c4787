package digiads.bench;

import java.awt.*;
import java.awt.image.BufferedImage;
import java.io.*;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.*;
import java.util.*;
import java.util.List;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.*;
import digiads.labels.StateTransactions;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.*;
import software.amazon.awssdk.services.rekognition.model.*;
import software.amazon.awssdk.services.sqs.model.*;

/**
 * The pipeline, measured from outside: JPEGs put to the bucket, each image's item read back (BatchGetItem every
 * 250 ms); put→readable = the item's updatedAt − the PutObject's end, split at its extractedAt (labeled).
 */
final class Pipeline {

    /** The outcome of one batch of images. */
    static final class Result {
        String name;
        int images;
        int readable;
        int rejected;
        double seconds;                    // first put start → last item readable
        double putSeconds;                 // first put start → last put end
        final Histogram latency = Load.newHistogram(); // µs, put end → readable
        final Histogram labeled = Load.newHistogram(); // µs, put end → labeled (the item's extractedAt)
        final Histogram stored = Load.newHistogram();  // µs, labeled → readable (extractedAt → updatedAt)
        final List<double[]> perSecond = new ArrayList<>(); // {second since first put, items readable in it}
        Cpu.Usage cpu;
        /** The AWS calls the pipeline under test made in the run, by "Service Operation" (the suite's own left out). */
        Map<String, Long> operations = Map.of();

        /** AWS calls per image put, made by the pipeline under test. */
        double callsPerImage() {
            return images == 0 ? Double.NaN : operations.values().stream().mapToLong(Long::longValue).sum() / (double) images;
        }

        double callsPerImage(String operation) {
            return images == 0 ? Double.NaN : operations.getOrDefault(operation, 0L) / (double) images;
        }

        double imagesPerSecond() {
            return readable / seconds;
        }

        double p(double pct) {
            return latency.getValueAtPercentile(pct) / 1e6;
        }

        /** Seconds, put end → labeled, at this percentile (NaN when no item had extractedAt). */
        double labeledP(double pct) {
            return labeled.getTotalCount() == 0 ? Double.NaN : labeled.getValueAtPercentile(pct) / 1e6;
        }

        /** Seconds, labeled → readable, at this percentile. */
        double storedP(double pct) {
            return stored.getTotalCount() == 0 ? Double.NaN : stored.getValueAtPercentile(pct) / 1e6;
        }

        @Override
        public String toString() {
            return String.format("%-18s %d/%d readable in %.1f s (puts %.1f s): %.1f images/s, put→readable p50 %.3f s p99 %.3f s max %.3f s, rejected %d",
                    name, readable, images, seconds, putSeconds, imagesPerSecond(), p(50), p(99),
                    latency.getMaxValue() / 1e6, rejected);
        }
    }

    private final Aws aws;
    private final AwsCalls calls;

    Pipeline(Aws aws, AwsCalls calls) {
        this.aws = aws;
        this.calls = calls;
    }

    static byte[] jpeg(int seed) {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color((seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256));
        g.fillRect(0, 0, 64, 48);
        g.setColor(Color.ORANGE);
        g.fillOval(8 + seed % 24, 8, 32, 32);
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "jpg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts the images (from putThreads threads, or one at a time with the interval when interval is
     * not zero) and waits until every item is readable or the timeout passes.
     */
    Result run(String name, Aws.Resources r, String idPrefix, int count, int putThreads, Duration interval,
               Duration timeout) throws Exception {
        List<String> ids = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(idPrefix + i + ".jpg");
            bodies.add(jpeg(i));
        }
        Instant[] putEnd = new Instant[count];
        calls.reset();
        Cpu.Snapshot cpu0 = Cpu.take();
        Instant start = Instant.now();
        ExecutorService puts = Executors.newFixedThreadPool(interval.isZero() ? putThreads : 1);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            Instant due = start.plus(interval.multipliedBy(i));
            futures.add(puts.submit(() -> {
                long wait = Duration.between(Instant.now(), due).toMillis();
                if (wait > 0) {
                    Proc.sleep(wait);
                }
                aws.s3.putObject(b -> b.bucket(r.bucket()).key(r.prefix() + ids.get(n)).contentType("image/jpeg")
                                .overrideConfiguration(o -> o.putHeader(AwsCalls.DRIVER_HEADER, "put")),
                        RequestBody.fromBytes(bodies.get(n)));
                putEnd[n] = Instant.now();
                return null;
            }));
        }
        Map<String, Aws.Item> seen = new HashMap<>();
        Instant deadline = start.plus(timeout);
        while (seen.size() < count && Instant.now().isBefore(deadline)) {
            Proc.sleep(250);
            List<String> unseen = ids.stream().filter(id -> !seen.containsKey(id)).toList();
            seen.putAll(aws.readable(r.table(), unseen));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        puts.shutdown();
        Cpu.Snapshot cpu1 = Cpu.take();
        Proc.sleep(1000); // the last deletes of the messages follow the last writes
        Map<String, Long> operations = calls.operations();

        Result res = new Result();
        res.name = name;
        res.images = count;
        res.readable = seen.size();
        res.cpu = Cpu.between(cpu0, cpu1);
        res.operations = operations;
        Instant lastPut = start;
        for (Instant p : putEnd) {
            lastPut = p != null && p.isAfter(lastPut) ? p : lastPut;
        }
        res.putSeconds = Duration.between(start, lastPut).toNanos() / 1e9;
        Instant last = start;
        Map<Long, Integer> bins = new HashMap<>();
        for (int i = 0; i < count; i++) {
            Aws.Item item = seen.get(ids.get(i));
            if (item == null) {
                continue;
            }
            if (!"LABELED".equals(item.status())) {
                res.rejected++;
            }
            last = item.updatedAt().isAfter(last) ? item.updatedAt() : last;
            long micros = Duration.between(putEnd[i], item.updatedAt()).toNanos() / 1000;
            res.latency.recordValue(Math.max(1, micros));
            if (item.extractedAt() != null) {
                res.labeled.recordValue(Math.max(1, Duration.between(putEnd[i], item.extractedAt()).toNanos() / 1000));
                res.stored.recordValue(Math.max(1, Duration.between(item.extractedAt(), item.updatedAt()).toNanos() / 1000));
            }
            bins.merge(Duration.between(start, item.updatedAt()).toSeconds(), 1, Integer::sum);
        }
        res.seconds = Duration.between(start, last).toNanos() / 1e9;
        long maxBin = bins.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        for (long s = 0; s <= maxBin; s++) {
            res.perSecond.add(new double[] {s, bins.getOrDefault(s, 0)});
        }
        return res;
    }

    // ---- the limit -------------------------------------------------------------------------------

    /**
     * The least work per image, with the AWS SDK and nothing else: receive S3 events (10 a call, long
     * polling), DetectLabels, SendMessageBatch to the metadata queue, DeleteMessageBatch; receive
     * metadata (10 a call), one TransactWriteItems per image that puts the item (same layout) with its
     * label index, as the app's own {@link StateTransactions} builds it for an image not stored before (no
     * GetItem first: the loop knows its images are new), DeleteMessageBatch. The same number of pollers
     * per queue as the app's consumers. No sniffing GET, no framework.
     */
    static final class LimitLoop implements AutoCloseable {

        private final Aws aws;
        private final Aws.Resources r;
        private final StateTransactions transactions;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        final AtomicLong errors = new AtomicLong();

        LimitLoop(Aws aws, Aws.Resources r, int consumersPerQueue) {
            this.aws = aws;
            this.r = r;
            this.transactions = new StateTransactions(r.table(), r.labelsTable());
            for (int i = 0; i < consumersPerQueue; i++) {
                threads.add(daemon("limit-events-" + i, this::events));
                threads.add(daemon("limit-metadata-" + i, this::metadata));
            }
        }

        private Thread daemon(String name, Runnable body) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        body.run();
                    } catch (RuntimeException e) {
                        if (!stop.get()) {
                            errors.incrementAndGet();
                            System.err.println(name + ": " + e);
                            Proc.sleep(100);
                        }
                    }
                }
            }, name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        private List<Message> receive(String queue) {
            return aws.sqs.receiveMessage(b -> b.queueUrl(aws.queueUrl(queue)).maxNumberOfMessages(10)
                    .waitTimeSeconds(stop.get() ? 0 : 20)).messages();
        }

        private void events() {
            List<Message> messages = receive(r.eventsQueue());
            if (messages.isEmpty()) {
                return;
            }
            List<SendMessageBatchRequestEntry> out = new ArrayList<>();
            for (Message m : messages) {
                JsonNode event;
                try {
                    event = Clients.JSON.readTree(m.body());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                for (JsonNode record : event.path("Records")) {
                    if (!record.path("eventName").asText().startsWith("ObjectCreated")) {
                        continue;
                    }
                    String bucket = record.path("s3").path("bucket").path("name").asText();
                    String key = URLDecoder.decode(record.path("s3").path("object").path("key").asText(),
                            StandardCharsets.UTF_8);
                    DetectLabelsResponse labels = aws.rekognition.detectLabels(b -> b
                            .image(i -> i.s3Object(o -> o.bucket(bucket).name(key))).maxLabels(10).minConfidence(70f));
                    DetectModerationLabelsResponse moderation = aws.rekognition.detectModerationLabels(b -> b
                            .image(i -> i.s3Object(o -> o.bucket(bucket).name(key))).minConfidence(50f));
                    Instant extractedAt = Instant.now(); // once labeled, as the app sets it
                    // the item in the app's layout (MetadataItemMapper), less its updatedAt, set when written
                    ObjectNode meta = Clients.JSON.createObjectNode().put("imageId", key.substring(r.prefix().length()))
                            .put("schemaVersion", 1).put("bucket", bucket).put("key", key)
                            .put("eTag", record.path("s3").path("object").path("eTag").asText())
                            .put("size", record.path("s3").path("object").path("size").asLong())
                            .put("contentType", "image/jpeg").put("status", "LABELED")
                            .put("labelModelVersion", labels.labelModelVersion())
                            .put("moderationModelVersion", moderation.moderationModelVersion())
                            .put("extractedAt", extractedAt.toString());
                    ArrayNode ls = meta.putArray("labels");
                    labels.labels().forEach(l -> ls.addObject().put("name", l.name()).put("confidence", l.confidence())
                            .set("parents", Clients.JSON.valueToTree(l.parents().stream().map(p -> p.name()).toList())));
                    ArrayNode ms = meta.putArray("moderationLabels");
                    moderation.moderationLabels().forEach(l -> ms.addObject().put("name", l.name())
                            .put("parentName", l.parentName() == null ? "" : l.parentName())
                            .put("taxonomyLevel", l.taxonomyLevel()).put("confidence", l.confidence()));
                    Instant eventTime;
                    try {
                        eventTime = Instant.parse(record.path("eventTime").asText());
                    } catch (RuntimeException e) {
                        eventTime = extractedAt;
                    }
                    meta.put("orderToken", Aws.orderToken(
                            record.path("s3").path("object").path("sequencer").asText(null), eventTime));
                    out.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(out.size()))
                            .messageBody(meta.toString()).build());
                }
            }
            for (int i = 0; i < out.size(); i += 10) {
                List<SendMessageBatchRequestEntry> batch = out.subList(i, Math.min(out.size(), i + 10));
                aws.sqs.sendMessageBatch(b -> b.queueUrl(aws.queueUrl(r.metadataQueue())).entries(batch));
            }
            delete(r.eventsQueue(), messages);
        }

        private void metadata() {
            List<Message> messages = receive(r.metadataQueue());
            if (messages.isEmpty()) {
                return;
            }
            for (Message m : messages) {
                JsonNode meta;
                try {
                    meta = Clients.JSON.readTree(m.body());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Map<String, AttributeValue> item = new HashMap<>(attribute(meta).m());
                item.put("updatedAt", Aws.s(Instant.now().toString()));
                try {
                    aws.dynamo.transactWriteItems(transactions.replace(null, item));
                } catch (TransactionCanceledException e) {
                    // a message received again (its first receive's delete did not happen): the image is stored
                    if (!e.hasCancellationReasons() || e.cancellationReasons().stream()
                            .noneMatch(c -> "ConditionalCheckFailed".equals(c.code()))) {
                        throw e;
                    }
                }
            }
            delete(r.metadataQueue(), messages);
        }

        /** A JSON value as DynamoDB's: objects as maps, arrays as lists, numbers as N, the rest as S. */
        private static AttributeValue attribute(JsonNode n) {
            if (n.isObject()) {
                Map<String, AttributeValue> m = new HashMap<>();
                n.properties().forEach(e -> m.put(e.getKey(), attribute(e.getValue())));
                return AttributeValue.fromM(m);
            }
            if (n.isArray()) {
                List<AttributeValue> l = new ArrayList<>();
                n.forEach(v -> l.add(attribute(v)));
                return AttributeValue.fromL(l);
            }
            return n.isNumber() ? AttributeValue.fromN(n.asText()) : AttributeValue.fromS(n.asText());
        }

        private void delete(String queue, List<Message> messages) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (Message m : messages) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                        .receiptHandle(m.receiptHandle()).build());
            }
            aws.sqs.deleteMessageBatch(b -> b.queueUrl(aws.queueUrl(queue)).entries(entries));
        }

        /** Lets the pollers finish their current long poll in the background (daemon threads). */
        @Override
        public void close() {
            stop.set(true);
        }
    }
}
