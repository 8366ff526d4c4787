package digiads.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.ServletWebRequest;
import jakarta.servlet.RequestDispatcher;

/** Every way an API error is written has the same {@code {error, message}} body and reveals nothing else. */
class ApiErrorsTest {

    private static Exchange failed(Exception cause) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("Authorization", "Bearer secret");
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setBody("request body");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        return exchange;
    }

    @Test
    void anApiExceptionKeepsItsStatusAndMessageAndNoRequestHeaderIsEchoed() {
        Exchange exchange = failed(ApiException.notFound("no image 'x'"));

        new ApiErrors().respond(exchange);

        assertThat(exchange.getMessage().getHeaders()).containsOnly(
                Map.entry(Exchange.HTTP_RESPONSE_CODE, 404), Map.entry(Exchange.CONTENT_TYPE, "application/json"));
        assertThat(exchange.getMessage().getBody()).isEqualTo(new ApiError("not_found", "no image 'x'"));
    }

    @Test
    void anythingElseIsA500ThatRevealsNothing() {
        Exchange exchange = failed(new IllegalStateException("table digiads-metadata in account 123 is gone"));

        new ApiErrors().respond(exchange);

        assertThat(exchange.getMessage().getHeaders()).containsOnly(
                Map.entry(Exchange.HTTP_RESPONSE_CODE, 500), Map.entry(Exchange.CONTENT_TYPE, "application/json"));
        assertThat(exchange.getMessage().getBody()).isEqualTo(
                new ApiError("internal_error", "the request could not be completed; it was logged"));
    }

    @Test
    void apiExceptionsOfTheirKinds() {
        assertThat(ApiError.of(ApiException.badRequest("no"))).isEqualTo(new ApiError("bad_request", "no"));
        ApiException e = new ApiException(429, "too_many_requests", "slow down");
        assertThat(e.status()).isEqualTo(429);
        assertThat(ApiError.of(e)).isEqualTo(new ApiError("too_many_requests", "slow down"));
    }

    private static Map<String, Object> errorAttributes(Object status, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
        request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, path);
        return new ApiErrorAttributes().getErrorAttributes(new ServletWebRequest(request),
                ErrorAttributeOptions.defaults());
    }

    @Test
    void errorsBeforeAnyRouteHaveTheSameBody() {
        assertThat(errorAttributes(404, "/api/nothing")).containsExactly(
                Map.entry("error", "not_found"), Map.entry("message", "no such resource: /api/nothing"));
        assertThat(errorAttributes(405, "/api/x")).containsExactly(
                Map.entry("error", "method_not_allowed"), Map.entry("message", "this method is not allowed on /api/x"));
        assertThat(errorAttributes(415, "/api/x")).containsExactly(Map.entry("error", "unsupported_media_type"),
                Map.entry("message", "this Content-Type is not accepted on /api/x"));
        assertThat(errorAttributes(406, "/api/x")).containsExactly(Map.entry("error", "not_acceptable"),
                Map.entry("message", "no acceptable representation for /api/x (the API produces application/json)"));
        assertThat(errorAttributes(400, "/api/x")).containsExactly(
                Map.entry("error", "bad_request"), Map.entry("message", "Bad Request"));
        // an unknown or missing status is a 500
        assertThat(errorAttributes(999, "/api/x")).containsExactly(
                Map.entry("error", "internal_server_error"), Map.entry("message", "Internal Server Error"));
        assertThat(errorAttributes(null, "/api/x")).containsEntry("error", "internal_server_error");
        assertThat(errorAttributes("404", "/api/x")).containsEntry("error", "internal_server_error");
    }

    @Test
    void theWriterSetsStatusTypeAndBodyAndKeepsEarlierHeaders() throws IOException {
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setHeader("Retry-After", "3");

        new ApiErrorWriter(new ObjectMapper()).write(response, 429, "too_many_requests", "slow down: é");

        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getContentType()).startsWith("application/json");
        assertThat(response.getCharacterEncoding()).isEqualTo("UTF-8");
        assertThat(response.getHeader("Retry-After")).isEqualTo("3");
        assertThat(response.getContentAsString()).isEqualTo("{\"error\":\"too_many_requests\",\"message\":\"slow down: é\"}");
    }

    private static Response tomcatResponse(int status, long written, boolean reportable, StringWriter body)
            throws IOException {
        Response response = mock(Response.class);
        when(response.getStatus()).thenReturn(status);
        when(response.getContentWritten()).thenReturn(written);
        when(response.setErrorReported()).thenReturn(reportable);
        when(response.getWriter()).thenReturn(new PrintWriter(body, true));
        return response;
    }

    @Test
    void tomcatsOwnErrorReportsAreJson() throws IOException {
        StringWriter body = new StringWriter();
        Response response = tomcatResponse(400, 0, true, body);

        new WebConfig.JsonErrorReportValve().report(mock(Request.class), response, null);

        assertThat(body.toString()).isEqualTo(
                "{\"error\":\"bad_request\",\"message\":\"the request was refused: Bad Request\"}");
        verify(response).setContentType("application/json");
        verify(response).setCharacterEncoding("UTF-8");
        verify(response).finishResponse();

        StringWriter unknown = new StringWriter();
        new WebConfig.JsonErrorReportValve().report(mock(Request.class), tomcatResponse(499, 0, true, unknown), null);
        assertThat(unknown.toString()).isEqualTo("{\"error\":\"error\",\"message\":\"the request failed\"}");
    }

    @Test
    void tomcatsOwn400ForAPathItCannotDecodeSaysWhatTheFilterSays() throws IOException {
        Request malformed = mock(Request.class);
        when(malformed.getRequestURI()).thenReturn("/api/images/%zz/metadata");
        StringWriter body = new StringWriter();

        new WebConfig.JsonErrorReportValve().report(malformed, tomcatResponse(400, 0, true, body), null);

        assertThat(body.toString()).isEqualTo("{\"error\":\"bad_request\",\"message\":\""
                + MalformedEscapesFilter.message("path") + "\"}");

        // another status of such a request is not about its escapes
        StringWriter notFound = new StringWriter();
        new WebConfig.JsonErrorReportValve().report(malformed, tomcatResponse(404, 0, true, notFound), null);
        assertThat(notFound.toString()).isEqualTo(
                "{\"error\":\"not_found\",\"message\":\"the request was refused: Not Found\"}");
    }

    @Test
    void noReportForASuccessAWrittenBodyOrAnErrorAlreadyReported() throws IOException {
        for (Response response : new Response[] {
                tomcatResponse(399, 0, true, new StringWriter()),
                tomcatResponse(500, 1, true, new StringWriter()),
                tomcatResponse(500, 0, false, new StringWriter())}) {
            new WebConfig.JsonErrorReportValve().report(mock(Request.class), response, null);
            verify(response, never()).getWriter();
            verify(response, never()).setContentType(anyString());
        }
        StringWriter body = new StringWriter();
        new WebConfig.JsonErrorReportValve().report(mock(Request.class), tomcatResponse(400, 0, true, body), null);
        assertThat(body.toString()).contains("bad_request");
    }

    @Test
    void anAwsCallThatRanOutOfTimeIsA503WithRetryAfter() {
        Exchange exchange = failed(new IllegalStateException("route failed",
                software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException.create(1000)));

        new ApiErrors().respond(exchange);

        assertThat(exchange.getMessage().getHeaders()).containsOnly(
                Map.entry(Exchange.HTTP_RESPONSE_CODE, 503), Map.entry(Exchange.CONTENT_TYPE, "application/json"),
                Map.entry("Retry-After", ApiErrors.RETRY_AFTER_SECONDS));
        assertThat(exchange.getMessage().getBody()).isEqualTo(new ApiError("service_unavailable",
                "a service the API depends on did not answer in time; try again in a few seconds"));
        assertThat(ApiErrors.timedOut(software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(1000))).isTrue();
        assertThat(ApiErrors.timedOut(new RuntimeException(new RuntimeException("no")))).isFalse();
        assertThat(ApiErrors.timedOut(null)).isFalse();
    }
}
