package digiads.live;

import java.io.IOException;
import java.util.Optional;

import digiads.api.ApiErrorWriter;
import digiads.api.ApiException;
import digiads.api.ImageRequests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events of image state changes: one image's ({@code …/images/{imageId}/events}) or every
 * image's, for a gallery ({@code …/images/events}). Served under the API (a bearer token with the read
 * scope) and under the page's own paths ({@code /app/api/…}: its signed-in session, see
 * {@code digiads.page.PageSecurityConfig}); who may open them is decided by those security chains.
 *
 * <p>Each event has an {@code id:}; a browser that reconnects sends the last one as
 * {@code Last-Event-ID} (or, from a new EventSource, as the {@code lastEventId} query parameter) and
 * gets what it missed, or {@code ready} with {@code resumed: false} telling it to read the state
 * again. A heartbeat comment keeps idle streams open through proxies; a stream ends after
 * {@code max-duration} (its servlet async timeout), and the browser reconnects. Over {@code max-open}
 * streams per instance: 503 with Retry-After.
 */
@RestController
public class StreamsController {

    /** The page's paths (its session), beside the API's. */
    public static final String PAGE_API = "/app/api";

    private final StreamHub hub;
    private final ImageRequests requests;
    private final ApiErrorWriter errors;
    private final LiveProperties.Streams settings;

    public StreamsController(StreamHub hub, ImageRequests requests, ApiErrorWriter errors, LiveProperties live) {
        this.hub = hub;
        this.requests = requests;
        this.errors = errors;
        this.settings = live.streams();
    }

    @GetMapping({"${digiads.api.context-path}/events", PAGE_API + "/events"})
    public SseEmitter gallery(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return open(null, request, response);
    }

    @GetMapping({"${digiads.api.context-path}/images/{imageId}/events", PAGE_API + "/images/{imageId}/events"})
    public SseEmitter image(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uri = request.getRequestURI();
        String raw = uri.substring(uri.indexOf("/images/") + "/images/".length(), uri.length() - "/events".length());
        String imageId;
        try {
            imageId = requests.imageId(raw);
        } catch (ApiException e) {
            errors.write(response, e.status(), e.error(), e.getMessage());
            return null;
        }
        return open(imageId, request, response);
    }

    private SseEmitter open(String imageId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String lastEventId = Optional.ofNullable(request.getHeader("Last-Event-ID"))
                .orElse(request.getParameter("lastEventId"));
        SseEmitter emitter = new SseEmitter(settings.maxDuration().toMillis());
        Optional<StreamHub.Stream> stream = hub.open(imageId, lastEventId, new EmitterSink(emitter, settings.retry().toMillis()));
        if (stream.isEmpty()) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "5");
            errors.write(response, 503, "service_unavailable",
                    "this instance has as many open event streams as it serves; retry after 5 s");
            return null;
        }
        // no proxy may buffer the stream (nginx honours this header)
        response.setHeader("X-Accel-Buffering", "no");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        emitter.onCompletion(stream.get()::close);
        emitter.onTimeout(stream.get()::close);
        emitter.onError(e -> stream.get().close());
        return emitter;
    }

    /** A stream's lines through Spring's SseEmitter; the first event tells the browser when to reconnect. */
    static final class EmitterSink implements StreamHub.Sink {

        private final SseEmitter emitter;
        private final long retryMillis;
        private boolean first = true;

        EmitterSink(SseEmitter emitter, long retryMillis) {
            this.emitter = emitter;
            this.retryMillis = retryMillis;
        }

        @Override
        public void event(String id, String name, String data) throws IOException {
            SseEmitter.SseEventBuilder event = SseEmitter.event().id(id).name(name).data(data);
            if (first) {
                event.reconnectTime(retryMillis);
                first = false;
            }
            emitter.send(event);
        }

        @Override
        public void comment(String text) throws IOException {
            emitter.send(SseEmitter.event().comment(text));
        }

        @Override
        public void close() {
            try {
                emitter.complete();
            } catch (RuntimeException e) {
                // already completed or failed
            }
        }
    }
}
