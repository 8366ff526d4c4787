package digiads.deals;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import digiads.DigiadsProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The containment around the Deals API: its circuit breaker, and the executor the parallel label
 * lookups run on (so a slow Deals API never ties up the request threads).
 */
@Configuration(proxyBeanMethods = false)
public class DealsConfig {

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
     * Where the per-label lookups run: a virtual thread each, so a lookup waiting on the Deals API
     * holds no platform thread and no request thread; the bulkhead caps how many call at once, the
     * budget how long a request waits for them. Not an Executor bean, which would displace Spring's
     * own task executor (the REST routes run on it).
     */
    @Bean(destroyMethod = "close")
    LookupPool dealsLookupPool() {
        return new LookupPool(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("deals-lookup-", 1).factory()));
    }

    /** The lookups' executor (see {@link #dealsLookupPool()}). */
    public record LookupPool(ExecutorService executor) implements AutoCloseable {
        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
