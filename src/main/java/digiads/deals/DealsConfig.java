package digiads.deals;

import digiads.DigiadsProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The containment around the Deals API: its circuit breaker, and the bounded pool the parallel
 * label lookups run on (so a slow Deals API ties up these threads, never the request threads).
 */
@Configuration(proxyBeanMethods = false)
public class DealsConfig {

    public static final String DEALS_LOOKUP_POOL = "deals-lookup";

    @Bean
    CircuitBreakerRegistry circuitBreakerRegistry() {
        return CircuitBreakerRegistry.ofDefaults();
    }

    /** Opens when too many recent calls failed or were slow; after a wait, probes with a few calls. */
    @Bean
    CircuitBreaker dealsCircuitBreaker(CircuitBreakerRegistry registry, DigiadsProperties properties) {
        DigiadsProperties.Deals.CircuitBreakerSettings cb = properties.deals().circuitBreaker();
        return registry.circuitBreaker("deals-api", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cb.slidingWindowSize())
                .minimumNumberOfCalls(cb.minimumNumberOfCalls())
                .failureRateThreshold(cb.failureRateThreshold())
                .slowCallDurationThreshold(cb.slowCallThreshold())
                .slowCallRateThreshold(cb.failureRateThreshold())
                .waitDurationInOpenState(cb.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(cb.permittedCallsInHalfOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
    }

    /**
     * The pool the per-label lookups run on (the split refers to it by id): bounded, so a slow Deals
     * API ties up these threads and never the request threads. Exposed as a Camel thread pool
     * profile rather than an Executor bean, which would displace Spring's own task executor.
     */
    @Bean
    ThreadPoolProfile dealsLookupPool(DigiadsProperties properties) {
        int threads = properties.deals().lookupThreads();
        ThreadPoolProfile profile = new ThreadPoolProfile(DEALS_LOOKUP_POOL);
        profile.setPoolSize(threads);
        profile.setMaxPoolSize(threads);
        profile.setMaxQueueSize(threads * 16);
        // when every thread is busy and the queue is full, the caller runs the lookup (within the budget)
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns);
        return profile;
    }
}
