package digiads.metadata;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Joins extract-metadata's two reads, made at once: the object's probe (its body, a
 * {@link ProbedImage}) and the image's stored state (the properties {@code find-metadata} set, such as
 * {@code stored}). The result is the probe's exchange with the other's properties added, and with the
 * other's failure if only that read failed: a failed read always fails the extraction (the multicast
 * also stops on the first failure).
 */
public final class ProbeAndStoredState implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        if (oldExchange == null) {
            return newExchange;
        }
        Exchange probed = newExchange.getMessage().getBody() instanceof ProbedImage ? newExchange : oldExchange;
        Exchange found = probed == newExchange ? oldExchange : newExchange;
        found.getProperties().forEach((name, value) -> {
            if (!probed.getProperties().containsKey(name)) {
                probed.setProperty(name, value);
            }
        });
        if (probed.getException() == null && found.getException() != null) {
            probed.setException(found.getException()); // a failed read fails the extraction
        }
        return probed;
    }
}
