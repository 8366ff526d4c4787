package digiads.api;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Writes an {@link ApiError} for what is answered before a request reaches a route: servlet filters
 * (authentication, authorization, rate limits, upload limits) and the firewall. The routes' own
 * errors go through {@link ApiErrors}; both bodies are the same {@code {error, message}}.
 */
@Component
public class ApiErrorWriter {

    private final ObjectMapper json;

    public ApiErrorWriter(ObjectMapper json) {
        this.json = json;
    }

    /** Sets the status and writes the body; headers set before (WWW-Authenticate, Retry-After) stay. */
    public void write(HttpServletResponse response, int status, String error, String message) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), new ApiError(error, message));
    }
}
