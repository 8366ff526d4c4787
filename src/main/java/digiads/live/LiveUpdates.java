package digiads.live;

import java.io.IOException;
import java.time.Clock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import digiads.metadata.ImageMetadata;
import digiads.metadata.ProbedImage;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

/**
 * What the routes call to tell and to hear of image state changes: the update of a stored state or of
 * work begun (published to the updates topic by the publish-update route), and the delivery of an
 * update heard from the topic to this instance's open streams.
 */
@Component
public class LiveUpdates {

    /** The SSE event name of an image's state change. */
    public static final String EVENT = "image";

    private final StreamHub hub;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    public LiveUpdates(StreamHub hub, ObjectMapper json) {
        this.hub = hub;
        this.json = json;
    }

    public ImageUpdate stored(@Body ImageMetadata state) {
        return ImageUpdate.stored(state, clock.instant());
    }

    public ImageUpdate inWork(@Body ProbedImage image) {
        return ImageUpdate.inWork(image, clock.instant());
    }

    /** An update of this instance's, to the streams of its image and the galleries', before it is published. */
    public void deliverHere(@ExchangeProperty("update") ImageUpdate update) throws IOException {
        hub.publish(update.imageId(), EVENT, line(update));
    }

    /** An update from the topic, to the streams of its image and the galleries' (written afresh: one line of JSON). */
    public void deliver(@Body String message) throws IOException {
        deliverHere(json.readValue(message, ImageUpdate.class));
    }

    private String line(ImageUpdate update) throws JsonProcessingException {
        return json.writeValueAsString(update);
    }
}
