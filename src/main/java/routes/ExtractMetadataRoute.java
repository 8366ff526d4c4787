package routes;

import digiads.live.LiveConfig;
import digiads.live.LiveUpdates;
import digiads.metadata.ImageProbe;
import digiads.metadata.MetadataExtractor;
import digiads.metadata.MetadataMessages;
import digiads.metadata.ProbeAndStoredState;
import digiads.ops.PipelineMetrics;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * extractMetadata: sniff the object from its first bytes while reading what is stored for the image
 * (both at once), ask Rekognition for labels of a JPEG or
 * PNG it accepts (REJECTED with the reason otherwise; stored labels reused when exactly this content
 * was labeled before), post the metadata message to the metadata queue, telling the writer when
 * nothing was stored for the image ({@link MetadataMessages#NOTHING_STORED}: it need not read again).
 * An object deleted before we got to it has nothing to label. Open streams hear that the image is in
 * work (publish-update, wire-tapped).
 *
 * <p>The two reads run in parallel, but the consumer's thread waits for both ({@code synchronous()}):
 * a parallel multicast otherwise hands the rest of the route to its own thread and the consumer, its
 * exchange in flight, polls again at once, taking ever more messages than it works on (no
 * back-pressure), all of them held at a shutdown.
 */
@Component
public class ExtractMetadataRoute extends RouteBuilder {

    private final LiveConfig.PublishPool publishPool;

    public ExtractMetadataRoute(LiveConfig.PublishPool publishPool) {
        this.publishPool = publishPool;
    }

    @Override
    public void configure() {
        from("direct:extract-metadata").routeId("extract-metadata")
            .multicast(new ProbeAndStoredState()).parallelProcessing().synchronous().stopOnException()
                .bean(ImageProbe.class, "probe")
                .to("direct:find-metadata")
            .end()
            .choice()
                .when(simple("${body.gone}"))
                    .bean(PipelineMetrics.class, "gone")
                .otherwise()
                    .setProperty("update", method(LiveUpdates.class, "inWork"))
                    .wireTap("direct:publish-update").executorService(publishPool.executor())
                    .bean(MetadataExtractor.class)
                    .bean(PipelineMetrics.class, "extracted")
                    .marshal().json()
                    .setHeader(MetadataMessages.NOTHING_STORED, method(MetadataMessages.class, "nothingStored"))
                    .to("{{digiads.endpoints.metadata-out}}")
            .end();
    }
}
