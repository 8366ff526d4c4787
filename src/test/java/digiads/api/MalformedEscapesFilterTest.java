package digiads.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The filter passes well-formed requests on untouched and answers the rest itself, before security. */
class MalformedEscapesFilterTest {

    private final MalformedEscapesFilter filter = new MalformedEscapesFilter(new ApiErrorWriter(new ObjectMapper()));

    private static MockHttpServletRequest request(String uri, String query) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
        request.setQueryString(query);
        return request;
    }

    private record Outcome(boolean passedOn, MockHttpServletResponse response) {
    }

    private Outcome filter(MockHttpServletRequest request) throws ServletException, IOException {
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean passedOn = new AtomicBoolean();
        filter.doFilter(request, response, (req, res) -> passedOn.set(true));
        return new Outcome(passedOn.get(), response);
    }

    @Test
    void aWellFormedRequestIsPassedOnUntouched() throws Exception {
        Outcome outcome = filter(request("/api/images/a%2F%C3%A9.jpg/metadata", "x=%20&y=100%25"));

        assertThat(outcome.passedOn()).isTrue();
        assertThat(outcome.response().getStatus()).isEqualTo(200);
        assertThat(outcome.response().getContentAsByteArray()).isEmpty();
        assertThat(filter(request("/api/labels", null)).passedOn()).isTrue();
    }

    @Test
    void aMalformedQueryStringIsTheApis400() throws Exception {
        Outcome outcome = filter(request("/api/images", "label=dog&cursor=%%%not-a-cursor"));

        assertThat(outcome.passedOn()).isFalse();
        assertThat(outcome.response().getStatus()).isEqualTo(400);
        assertThat(outcome.response().getContentType()).isEqualTo("application/json;charset=UTF-8");
        assertThat(outcome.response().getContentAsString()).isEqualTo("{\"error\":\"bad_request\",\"message\":"
                + "\"the request's query string holds a malformed percent-escape: a % must begin two hex digits,"
                + " and escaped bytes must be UTF-8\"}");
    }

    @Test
    void aMalformedPathIsTheApis400AndNamedFirst() throws Exception {
        Outcome outcome = filter(request("/api/images/a%C3.jpg/metadata", "x=%zz"));

        assertThat(outcome.passedOn()).isFalse();
        assertThat(outcome.response().getStatus()).isEqualTo(400);
        assertThat(outcome.response().getContentAsString()).contains("the request's path holds a malformed");
        assertThat(MalformedEscapesFilter.malformedPart(request("/a%C3", null))).isEqualTo("path");
        assertThat(MalformedEscapesFilter.malformedPart(request("/a", "%"))).isEqualTo("query string");
        assertThat(MalformedEscapesFilter.malformedPart(request("/a", "b"))).isNull();
    }

    @Test
    void itRunsOnEveryPathJustBeforeSpringSecurity() {
        SecurityProperties security = new SecurityProperties();
        security.getFilter().setOrder(-100);

        FilterRegistrationBean<MalformedEscapesFilter> registration =
                MalformedEscapesFilter.registration(new ApiErrorWriter(new ObjectMapper()), security);

        assertThat(registration.getOrder()).isEqualTo(-101);
        assertThat(registration.getUrlPatterns()).isEmpty(); // every path
        assertThat(registration.getFilterName()).isEqualTo("malformedEscapesFilter");
        assertThat(registration.getFilter()).isNotNull();
        assertThat(registration.determineDispatcherTypes()).contains(DispatcherType.REQUEST);
    }
}
