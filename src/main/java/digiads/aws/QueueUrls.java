package digiads.aws;

import java.util.List;

/**
 * The URLs of the pipeline's four queues, built once from {@code digiads.sqs.base-url} and the queue
 * names (so start-up needs no GetQueueUrl call). Everything that addresses a queue by URL outside a
 * route endpoint takes them from here.
 */
public record QueueUrls(String events, String eventsDlq, String metadata, String metadataDlq) {

    public static QueueUrls of(String baseUrl, String events, String eventsDlq, String metadata, String metadataDlq) {
        return new QueueUrls(baseUrl + "/" + events, baseUrl + "/" + eventsDlq, baseUrl + "/" + metadata,
                baseUrl + "/" + metadataDlq);
    }

    /** Every queue that can carry an image's messages. */
    public List<String> all() {
        return List.of(events, eventsDlq, metadata, metadataDlq);
    }

    /** A queue's name: the last segment of its URL. */
    public static String name(String queueUrl) {
        return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    }
}
