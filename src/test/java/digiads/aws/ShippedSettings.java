package digiads.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;

import digiads.DigiadsProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The settings the application ships (application.properties, no profile), with changes a test
 * makes, resolved as Spring resolves them: bound to {@link DigiadsProperties}, or as the
 * placeholders of a plain Camel context, whose SQS endpoints then are exactly the app's.
 */
final class ShippedSettings {

    private final Properties properties;

    private ShippedSettings(Properties properties) {
        this.properties = properties;
    }

    static ShippedSettings load() {
        try {
            return new ShippedSettings(PropertiesLoaderUtils.loadProperties(new ClassPathResource("application.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ShippedSettings with(String key, String value) {
        properties.setProperty(key, value);
        return this;
    }

    String get(String key) {
        return properties.getProperty(key);
    }

    private MutablePropertySources sources() {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new PropertiesPropertySource("application", properties));
        return sources;
    }

    DigiadsProperties digiads() {
        MutablePropertySources sources = sources();
        return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources))
                .bind("digiads", DigiadsProperties.class).get();
    }

    /** A Camel context with these settings as its placeholders, and this client for its SQS endpoints (as in the app). */
    CamelContext camel(SqsClient sqs) {
        PropertySourcesPlaceholdersResolver spring = new PropertySourcesPlaceholdersResolver(sources());
        Properties resolved = new Properties();
        properties.stringPropertyNames().forEach(key ->
                resolved.setProperty(key, String.valueOf(spring.resolvePlaceholders(properties.getProperty(key)))));
        CamelContext camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(resolved);
        camel.getRegistry().bind("sqs", sqs);
        return camel;
    }
}
