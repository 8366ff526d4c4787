package digiads;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Keeps Camel's own threads platform threads while Spring's are virtual
 * ({@code spring.threads.virtual.enabled}: Tomcat's requests and the REST routes). camel-spring-boot
 * would turn Camel's thread pools virtual along with Spring's, and Camel 4.17 then gives every scheduled
 * consumer a scheduler of one thread ({@code Executors.newScheduledThreadPool(0, …)}): the SQS
 * consumers' {@code concurrentConsumers} would take turns on it, and one held message would hold up
 * every other (ConsumerVisibilityIntegrationTest). Camel's post-processor leaves the JVM-wide
 * {@code camel.threads.virtual.enabled} alone when it is set, so this one sets it first, unless the
 * JVM was started with it.
 */
public class PlatformCamelThreads implements EnvironmentPostProcessor, Ordered {

    static final String CAMEL_VIRTUAL_THREADS = "camel.threads.virtual.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (System.getProperty(CAMEL_VIRTUAL_THREADS) == null) {
            System.setProperty(CAMEL_VIRTUAL_THREADS, "false");
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
