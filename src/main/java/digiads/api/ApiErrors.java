package digiads.api;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns a failed API exchange into its JSON error: an {@link ApiException} keeps its status and
 * message; anything else is a 500 whose message reveals nothing internal (the cause is logged).
 * It works on the exchange itself (called with {@code .bean}, not as an expression on a copy): the
 * request's headers are dropped so that none is echoed into the response.
 */
@Component
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    public void respond(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ApiError error;
        int status;
        if (cause instanceof ApiException api) {
            status = api.status();
            error = ApiError.of(api);
        } else {
            status = 500;
            error = new ApiError("internal_error", "the request could not be completed; it was logged");
            LOG.error("{} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), cause);
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(error);
    }
}
