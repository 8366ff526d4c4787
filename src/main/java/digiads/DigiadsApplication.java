package digiads;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * digiads: the image metadata pipeline and the digital-ads API as one Camel application.
 * Route builders live in the {@code routes} package; the plain-Java pieces they call live here.
 * It is {@code @SpringBootApplication} spelt out, for one more exclusion from the component scan:
 * the management server's own configuration ({@code digiads.ops.ManagementServerConfig}) belongs to
 * its child context, which imports it, not to the application's.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(basePackages = {"digiads", "routes"}, excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = ManagementContextConfiguration.class)})
@ConfigurationPropertiesScan
public class DigiadsApplication {

    public static void main(String[] args) {
        SpringApplication.run(DigiadsApplication.class, args);
    }
}
