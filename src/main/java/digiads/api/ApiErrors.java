package digiads.api;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import org.springframework.stereotype.Component;

/**
 * Turns a failed API exchange into its JSON error: an {@link ApiException} keeps its status and
 * message; an AWS call that ran out of time (an endpoint that does not answer) is a 503
 * {@code service_unavailable} with {@code Retry-After}; anything else is a 500 whose message reveals
 * nothing internal (the cause is logged).
 * It works on the exchange itself (called with {@code .bean}, not as an expression on a copy): the
 * request's headers are dropped so that none is echoed into the response.
 */
@Component
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
    /** When a client may try again after a 503: AWS calls time out within seconds, and hiccups pass. */
    static final String RETRY_AFTER_SECONDS = "5";

    public void respond(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ApiError error;
        int status;
        if (cause instanceof ApiException api) {
            status = api.status();
            error = ApiError.of(api);
        } else if (timedOut(cause)) {
            status = 503;
            error = new ApiError("service_unavailable",
                    "a service the API depends on did not answer in time; try again in a few seconds");
            LOG.warn("{} {}: AWS did not answer in time: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), cause.toString());
        } else {
            status = 500;
            error = new ApiError("internal_error", "the request could not be completed; it was logged");
            LOG.error("{} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), cause);
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (status == 503) {
            exchange.getMessage().setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        exchange.getMessage().setBody(error);
    }

    /** Whether an AWS call ran out of its time limits (see {@code AwsClients}), wherever in the causes. */
    static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
