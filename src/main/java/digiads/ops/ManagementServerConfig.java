package digiads.ops;

import digiads.api.ApiErrorWriter;
import digiads.api.MalformedEscapesFilter;
import digiads.api.WebConfig;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The management server (its own Tomcat on the management port): what Tomcat refuses there before
 * any application code runs is answered as JSON too, and a malformed percent-escape is a 400, as on
 * the public port. Its child context alone imports this (ManagementContextConfiguration.imports):
 * the application's component scan leaves it out ({@code DigiadsApplication}).
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ManagementServerConfig {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> managementJsonErrorsFromTomcat() {
        return WebConfig::jsonErrors;
    }

    @Bean
    FilterRegistrationBean<MalformedEscapesFilter> managementMalformedEscapesFilter(ApiErrorWriter errors,
                                                                                    SecurityProperties security) {
        return MalformedEscapesFilter.registration(errors, security);
    }
}
