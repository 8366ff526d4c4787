package routes;

import digiads.api.ApiErrors;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * Error handling shared by the routes that answer REST calls (they opt in with
 * {@code routeConfigurationId("api")}): every failure becomes a JSON {@code {error, message}}
 * with its status, never a stack trace.
 */
@Component
public class ApiRouteConfiguration extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration("api")
            .onException(Exception.class).handled(true)
                .bean(ApiErrors.class, "respond")
                .marshal().json()
            .end();
    }
}
