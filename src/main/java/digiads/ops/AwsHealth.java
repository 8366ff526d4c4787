package digiads.ops;

import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import digiads.aws.QueueUrls;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Readiness of the AWS resources the pipeline needs, checked on exactly those resources (no
 * account-wide listing, so the least-privilege role suffices), each within a short time limit:
 * an unreachable or missing queue or table reports DOWN with the reason. Each check calls AWS at
 * most once per {@code digiads.aws.health-check-interval}, however often health is asked (load
 * balancers, orchestrators and scrapers all ask); in between the last answer stands. Liveness
 * includes neither check: a hiccup of AWS must not restart the app.
 */
@Configuration(proxyBeanMethods = false)
public class AwsHealth {

    private static final AwsRequestOverrideConfiguration QUICK = AwsRequestOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(3)).build();

    private final Duration interval;

    public AwsHealth(@Value("${digiads.aws.health-check-interval}") Duration interval) {
        this.interval = interval;
    }

    @Bean
    HealthIndicator sqs(SqsClient sqs, QueueUrls urls) {
        List<String> queues = List.of(urls.events(), urls.metadata());
        return cached(interval, () -> {
            Health.Builder health = Health.up();
            for (String queue : queues) {
                try {
                    String visible = sqs.getQueueAttributes(b -> b.queueUrl(queue).overrideConfiguration(QUICK)
                            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
                    health.withDetail(queue, "messages waiting: " + visible);
                } catch (RuntimeException e) {
                    return Health.down().withDetail(queue, reason(e)).build();
                }
            }
            return health.build();
        });
    }

    @Bean
    HealthIndicator dynamodb(DynamoDbClient dynamo, @Value("${digiads.dynamodb.table}") String table) {
        return cached(interval, () -> {
            try {
                TableStatus status = dynamo.describeTable(b -> b.tableName(table).overrideConfiguration(QUICK))
                        .table().tableStatus();
                Health.Builder health = status == TableStatus.ACTIVE || status == TableStatus.UPDATING
                        ? Health.up() : Health.outOfService();
                return health.withDetail(table, status.toString()).build();
            } catch (RuntimeException e) {
                return Health.down().withDetail(table, reason(e)).build();
            }
        });
    }

    /** The check's answer, asked at most once per interval; concurrent callers wait for the one call. */
    static HealthIndicator cached(Duration interval, HealthIndicator check) {
        return cached(interval, Ticker.systemTicker(), check);
    }

    static HealthIndicator cached(Duration interval, Ticker ticker, HealthIndicator check) {
        LoadingCache<Boolean, Health> last = Caffeine.newBuilder().expireAfterWrite(interval).ticker(ticker)
                .build(k -> check.health());
        return () -> last.get(Boolean.TRUE);
    }

    private static String reason(RuntimeException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
