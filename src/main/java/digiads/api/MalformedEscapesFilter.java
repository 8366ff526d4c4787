package digiads.api;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request whose path or query string holds a malformed percent-escape ({@link PercentEscapes})
 * with the API's 400 {@code bad_request}, on every path of the port it is registered on: Tomcat would
 * drop such a query parameter and the request would be answered as if it had not been sent (a search
 * whose cursor is dropped answers its first page). Tomcat itself refuses most malformed paths before
 * any filter ({@link WebConfig.JsonErrorReportValve} answers those).
 */
public final class MalformedEscapesFilter extends OncePerRequestFilter {

    private final ApiErrorWriter errors;

    public MalformedEscapesFilter(ApiErrorWriter errors) {
        this.errors = errors;
    }

    /**
     * The filter on every path, just before Spring Security's filter chain: a refusal costs no
     * authentication, and the request metrics' filter, which runs before both, still counts it.
     */
    public static FilterRegistrationBean<MalformedEscapesFilter> registration(ApiErrorWriter errors,
                                                                               SecurityProperties security) {
        FilterRegistrationBean<MalformedEscapesFilter> registration =
                new FilterRegistrationBean<>(new MalformedEscapesFilter(errors));
        registration.setOrder(security.getFilter().getOrder() - 1);
        return registration;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String malformed = malformedPart(request);
        if (malformed != null) {
            errors.write(response, 400, "bad_request", message(malformed));
            return;
        }
        chain.doFilter(request, response);
    }

    /** Which part of the request holds a malformed escape ("path", "query string"), or null: none. */
    static String malformedPart(HttpServletRequest request) {
        if (!PercentEscapes.wellFormed(request.getRequestURI())) {
            return "path";
        }
        return PercentEscapes.wellFormed(request.getQueryString()) ? null : "query string";
    }

    /** The refusal's message, the same whether the filter or Tomcat refused. */
    static String message(String part) {
        return "the request's " + part + " holds a malformed percent-escape: a % must begin two hex digits,"
                + " and escaped bytes must be UTF-8";
    }
}
