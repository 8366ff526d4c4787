package routes;

import digiads.live.LiveConfig;
import digiads.live.LiveUpdates;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Live updates between instances. publish-update tells an image's state change (exchange property
 * {@code update}) to this instance's open streams at once, then sends it to the updates topic for the
 * other instances (this instance's own subscription leaves it out); the pipeline wire-taps it on a small pool of its own, so
 * publishing never delays or fails the pipeline (a change that cannot be published is logged and
 * dropped: readers read the current state when they connect). image-updates consumes this
 * instance's own queue, subscribed to the topic, and hands each update to the open streams; it is
 * started once the queue exists ({@link digiads.live.UpdatesSubscription}).
 */
@Component
public class LiveUpdatesRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:publish-update").routeId("publish-update").errorHandler(noErrorHandler())
            .bean(LiveUpdates.class, "deliverHere")
            .doTry()
                .setBody(exchangeProperty("update"))
                .removeHeaders("*")
                .marshal().json()
                .to("{{digiads.endpoints.updates-topic}}")
            .doCatch(Exception.class)
                .log(LoggingLevel.WARN, "an image update was not published: ${exception.message}")
            .end();

        from("{{digiads.endpoints.updates-in}}").routeId(LiveConfig.CONSUMER_ROUTE).routeConfigurationId(QueueConsumerRouteConfiguration.ID).autoStartup(false)
            .onException(Exception.class).handled(true)
                .log(LoggingLevel.WARN, "an update that is not one was dropped: ${exception.message}")
            .end()
            .convertBodyTo(String.class)
            .bean(LiveUpdates.class, "deliver");
    }
}
