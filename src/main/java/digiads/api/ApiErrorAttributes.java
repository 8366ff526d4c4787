package digiads.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.web.servlet.error.DefaultErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import jakarta.servlet.RequestDispatcher;
import org.springframework.web.context.request.WebRequest;

/**
 * Errors that never reach a route (unknown path, wrong method, a Content-Type an operation does
 * not consume) get the same {@code {error, message}} body as the routes' own errors.
 */
@Component
public class ApiErrorAttributes extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE, WebRequest.SCOPE_REQUEST);
        HttpStatus status = code instanceof Integer c ? HttpStatus.resolve(c) : null;
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        String path = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI, WebRequest.SCOPE_REQUEST));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", status.name().toLowerCase(Locale.ROOT));
        body.put("message", message(status, path));
        return body;
    }

    private static String message(HttpStatus status, String path) {
        return switch (status) {
            case NOT_FOUND -> "no such resource: " + path;
            case METHOD_NOT_ALLOWED -> "this method is not allowed on " + path;
            case UNSUPPORTED_MEDIA_TYPE -> "this Content-Type is not accepted on " + path;
            case NOT_ACCEPTABLE -> "no acceptable representation for " + path + " (the API produces application/json)";
            default -> status.getReasonPhrase();
        };
    }
}
