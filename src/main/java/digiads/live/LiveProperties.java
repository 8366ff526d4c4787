package digiads.live;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Live updates: how image state changes reach every instance ({@link Updates}: an SNS topic, a queue
 * of this instance's own subscribed to it) and how they reach browsers ({@link Streams}: server-sent
 * events). Every default lives in {@code application.properties}.
 */
@ConfigurationProperties("digiads.live")
@Validated
public record LiveProperties(@Valid @NotNull Updates updates, @Valid @NotNull Streams streams) {

    /**
     * @param topicArn       the topic every instance publishes its image state changes to
     * @param queueName      this instance's queue (created at start, subscribed to the topic, deleted at shutdown)
     * @param origin         this instance's id ({@code digiads.instance-id}), which its updates carry
     * @param publishThreads threads that publish state changes
     * @param publishBacklog state changes waiting to be published at most; beyond, they are dropped (counted)
     * @param retryEvery     how often creating the queue and its subscription is tried again until it works
     */
    public record Updates(@NotBlank String topicArn, @NotBlank String queueName, @NotBlank String origin,
                          @Positive int publishThreads,
                          @Positive int publishBacklog,
                          @NotNull Duration retryEvery) {
    }

    /**
     * @param maxOpen     open streams per instance; one more is answered 503
     * @param heartbeat   a comment line this often, below every proxy's idle timeout
     * @param maxDuration a stream ends after this (the servlet async timeout); the browser reconnects
     * @param replay      recent events kept to resume a reconnecting stream (Last-Event-ID)
     * @param retry       how long a browser waits before it reconnects (the stream's retry: field)
     * @param backlog     events waiting for one slow client at most; beyond, its stream is closed
     */
    public record Streams(@Positive int maxOpen, @NotNull Duration heartbeat, @NotNull Duration maxDuration,
                          @Positive int replay, @NotNull Duration retry, @Positive int backlog) {
    }
}
