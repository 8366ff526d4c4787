package digiads.ops;

import digiads.api.WebConfig;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * The management server (its own Tomcat on the management port): what Tomcat refuses there before
 * any application code runs is answered as JSON too, as on the public port.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ManagementServerConfig {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> managementJsonErrorsFromTomcat() {
        return WebConfig::jsonErrors;
    }
}
