package digiads.security;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import digiads.DigiadsProperties;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Per-client limits on the API's writes: a token bucket per client (Bucket4j) holding
 * {@code burst} writes, refilled at {@code perSecond}. Buckets of clients that stopped writing are
 * forgotten after a while (a forgotten bucket is a full one, which is what it would be by then).
 */
@Component
public class WriteRateLimits {

    private final Cache<String, Bucket> buckets;
    private final DigiadsProperties.Security.WriteRate rate;

    @Autowired
    public WriteRateLimits(DigiadsProperties properties) {
        this(properties.security().writeRate());
    }

    WriteRateLimits(DigiadsProperties.Security.WriteRate rate) {
        this.rate = rate;
        // a full bucket refills within burst/perSecond seconds; keep idle ones a little longer than that
        Duration refill = Duration.ofMillis(Math.max(1, 1000 * rate.burst() / rate.perSecond()));
        this.buckets = Caffeine.newBuilder().expireAfterAccess(refill.plusMinutes(1)).maximumSize(100_000).build();
    }

    /** Takes one write from the client's bucket: empty when allowed, otherwise how long until it would be. */
    public Optional<Duration> tryWrite(String client) {
        ConsumptionProbe probe = buckets.get(client, c -> newBucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(rate.burst())
                        .refillGreedy(rate.perSecond(), Duration.ofSeconds(1)).build())
                .build();
    }
}
