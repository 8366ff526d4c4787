package digiads.live;

import java.util.Map;
import java.util.UUID;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code digiads.instance-id}: what tells this instance from the others sharing the queues (it names
 * the instance's own updates queue). Given from the environment (e.g. {@code DIGIADS_INSTANCE_ID}),
 * or made up once per application start: a property that every reader sees with the same value.
 */
public class InstanceId implements EnvironmentPostProcessor {

    public static final String PROPERTY = "digiads.instance-id";

    /**
     * The SNS message attribute of a live update that names the instance it comes from: an instance's
     * subscription leaves out its own updates, which its streams hear at once, in process.
     */
    public static final String UPDATE_ORIGIN = "origin";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.containsProperty(PROPERTY)) {
            String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            environment.getPropertySources().addLast(new MapPropertySource("digiadsInstanceId", Map.of(PROPERTY, id)));
        }
    }
}
