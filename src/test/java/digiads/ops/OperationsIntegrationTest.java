package digiads.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.TestImages;
import org.junit.jupiter.api.Test;

/** The secured operations surface: who gets in, what Jolokia allows, what health and Prometheus say. */
class OperationsIntegrationTest extends MotoTestSupport {

    @Test
    void anonymousCallersGetHealthButNothingElse() {
        HttpResponse<String> health = management("/actuator/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(body(health).path("status").asText()).isEqualTo("UP");
        assertThat(body(health).path("components").path("sqs").has("details")).as("details only when authorized").isFalse();
        assertThat(management("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(management("/actuator/health/liveness").statusCode()).isEqualTo(200);

        for (String path : new String[] {"/actuator/jolokia/version", "/actuator/jolokia/read/java.lang:type=Runtime/Uptime",
                "/actuator/prometheus", "/actuator/hawtio/", "/actuator/camelroutes", "/actuator/info"}) {
            HttpResponse<String> response = management(path);
            assertThat(response.statusCode()).as(path).isIn(401, 302);
            assertThat(response.body()).as(path).doesNotContain("\"value\"", "camel_exchanges");
        }
    }

    @Test
    void livenessAsksNoAwsResourceSoAnAwsHiccupRestartsNothing() {
        JsonNode liveness = body(getAsOperator("/actuator/health/liveness"));

        assertThat(liveness.path("status").asText()).isEqualTo("UP");
        assertThat(liveness.path("components").fieldNames()).toIterable().containsExactly("livenessState");
    }

    @Test
    void operatorsSeeHealthDetailsOfTheAwsResources() {
        JsonNode health = body(getAsOperator("/actuator/health/readiness"));

        assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("UP");
        assertThat(health.path("components").path("sqs").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("dynamodb").path("details").path(TABLE).asText()).isEqualTo("ACTIVE");
        assertThat(health.path("components").path("camelHealth").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void jolokiaReadsButOnlyRunsTheCamelRouteOperations() {
        HttpResponse<String> raw = getAsOperator("/actuator/jolokia/read/java.lang:type=Runtime/Uptime");
        assertThat(raw.statusCode()).as(raw.headers() + raw.body()).isEqualTo(200);
        JsonNode uptime = body(raw);
        assertThat(uptime.path("status").asInt()).as(uptime.toString()).isEqualTo(200);

        JsonNode gc = body(getAsOperator("/actuator/jolokia/exec/java.lang:type=Memory/gc"));
        assertThat(gc.path("status").asInt()).as("not an operator's Camel operation").isEqualTo(403);

        JsonNode write = body(getAsOperator(
                "/actuator/jolokia/write/org.apache.camel:context=digiads,type=context,name=%22digiads%22/Tracing/true"));
        assertThat(write.path("status").asInt()).as("no attribute writes").isEqualTo(403);

        JsonNode dump = body(getAsOperator(
                "/actuator/jolokia/exec/org.apache.camel:context=digiads,type=routes,name=%22image-events%22/dumpRouteAsXml()"));
        assertThat(dump.path("status").asInt()).as(dump.toString()).isEqualTo(200);
        assertThat(dump.path("value").asText()).contains("image-events");
    }

    @Test
    void prometheusHasRouteCircuitBreakerAndPipelineSeries() {
        putObject("metrics.jpg", TestImages.jpeg(), "image/jpeg");
        putObject("metrics.txt", "text".getBytes(), "text/plain");
        awaitMetadata("metrics.jpg");
        awaitMetadata("metrics.txt");

        HttpResponse<String> response = getAsOperator("/actuator/prometheus");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("camel_exchanges_total{application=\"digiads\"")
                .contains("routeId=\"extract-metadata\"")
                .contains("resilience4j_circuitbreaker_state{")
                .contains("name=\"deals-api\"")
                .contains("resilience4j_circuitbreaker_calls_seconds_count")
                .containsPattern("digiads_images_processed_seconds_count\\{[^}]*outcome=\"labeled\"[^}]*} [1-9]")
                .containsPattern("digiads_images_processed_seconds_count\\{[^}]*outcome=\"rejected\"[^}]*} [1-9]");
    }
}
