package digiads;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * digiads: the image metadata pipeline and the digital-ads API as one Camel application.
 * Route builders live in the {@code routes} package; the plain-Java pieces they call live here.
 */
@SpringBootApplication(scanBasePackages = {"digiads", "routes"})
@ConfigurationPropertiesScan
public class DigiadsApplication {

    public static void main(String[] args) {
        SpringApplication.run(DigiadsApplication.class, args);
    }
}
