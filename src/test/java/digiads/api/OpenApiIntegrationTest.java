package digiads.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.local.LocalIssuer;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes every operation, with the schemas of its bodies and errors. */
class OpenApiIntegrationTest extends MotoTestSupport {

    @Test
    void documentsEveryOperationWithItsSchemas() {
        JsonNode api = body(get("/api/openapi.json"));

        assertThat(api.path("openapi").asText()).startsWith("3.");
        assertThat(api.path("servers").get(0).path("url").asText()).isEqualTo("/api");
        JsonNode paths = api.path("paths");
        assertThat(paths.path("/images").has("post")).isTrue();
        assertThat(paths.path("/images/{imageId}/metadata").has("get")).isTrue();
        assertThat(paths.path("/images/{imageId}/digiads").has("get")).isTrue();
        assertThat(paths.path("/images/{imageId}").has("delete")).isTrue();
        JsonNode search = paths.path("/images").path("get");
        assertThat(search.path("parameters").findValuesAsText("name")).containsExactly("label", "minConfidence", "limit", "cursor");
        assertThat(search.path("responses").has("400")).isTrue();
        assertThat(search.path("parameters").get(2).path("description").asText()).as("the settings' values")
                .contains("1 to 100").contains("default 50");
        assertThat(paths.path("/labels").path("get").path("responses").has("200")).isTrue();
        assertThat(paths.path("/images").path("post").path("requestBody").path("required").asBoolean()).isTrue();
        JsonNode presign = paths.path("/images/uploads").path("post");
        assertThat(presign.path("requestBody").toString()).as(presign.toString()).contains("UploadRequest");
        assertThat(presign.path("responses").path("201").toString()).contains("PresignedUpload");
        assertThat(presign.path("responses").fieldNames()).toIterable().contains("201", "400", "413", "415");
        assertThat(paths.path("/images/{imageId}/digiads").path("get").path("responses").path("404")
                .path("content").toString()).contains("ApiError");
        assertThat(api.path("components").path("schemas").fieldNames()).toIterable()
                .anySatisfy(n -> assertThat(n).endsWith("MetadataWithBrandSafety"))
                .anySatisfy(n -> assertThat(n).endsWith("DigiAds"))
                .anySatisfy(n -> assertThat(n).endsWith("ApiError"))
                .anySatisfy(n -> assertThat(n).endsWith("ImageRef"))
                .anySatisfy(n -> assertThat(n).endsWith("UploadRequest"))
                .anySatisfy(n -> assertThat(n).endsWith("PresignedUpload"));
    }

    /** The brand-safety verdict and the deals statuses it brings, as the answers carry them. */
    @Test
    void documentsTheBrandSafetyVerdictOfTheMetadataAndOfTheDigiAds() {
        JsonNode api = body(get("/api/openapi.json"));
        JsonNode paths = api.path("paths");

        JsonNode metadata = schemaOf(api, paths.path("/images/{imageId}/metadata").path("get").path("responses").path("200"));
        assertThat(metadata.path("properties").fieldNames()).toIterable().as(metadata.toString())
                .contains("imageId", "status", "labels", "moderationLabels", "moderationModelVersion", "brandSafety");
        JsonNode moderationLabel = resolve(api, metadata.path("properties").path("moderationLabels").path("items"));
        assertThat(moderationLabel.path("properties").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("name", "parentName", "taxonomyLevel", "confidence");
        JsonNode brandSafety = resolve(api, metadata.path("properties").path("brandSafety"));
        assertThat(texts(brandSafety.path("properties").path("verdict").path("enum")))
                .containsExactly("SAFE", "RESTRICTED", "UNSAFE", "UNKNOWN");

        JsonNode digiAds = schemaOf(api, paths.path("/images/{imageId}/digiads").path("get").path("responses").path("200"));
        assertThat(texts(digiAds.path("properties").path("dealsStatus").path("enum")))
                .containsExactly("LIVE", "CACHED", "PARTIAL", "UNAVAILABLE", "BLOCKED", "UNVERIFIED");
        assertThat(resolve(api, digiAds.path("properties").path("brandSafety"))).isEqualTo(brandSafety);
        JsonNode getDigiAds = paths.path("/images/{imageId}/digiads").path("get");
        assertThat(getDigiAds.path("summary").asText() + getDigiAds.path("description").asText())
                .contains("BLOCKED", "UNVERIFIED", "RESTRICTED");
    }

    private static JsonNode schemaOf(JsonNode api, JsonNode response) {
        return resolve(api, response.path("content").path("application/json").path("schema"));
    }

    private static JsonNode resolve(JsonNode api, JsonNode schema) {
        String ref = schema.path("$ref").asText();
        return ref.isEmpty() ? schema : api.path("components").path("schemas").path(ref.substring(ref.lastIndexOf('/') + 1));
    }

    private static java.util.List<String> texts(JsonNode array) {
        java.util.List<String> texts = new java.util.ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    @Test
    void isPublicAndDeclaresTheTokensAndTheScopeOfEachOperation() {
        var response = sendAsIs(HttpRequest.newBuilder(uri("/api/openapi.json")).GET().build());
        assertThat(response.statusCode()).as("no token needed for the document").isEqualTo(200);
        JsonNode api = body(response);

        JsonNode scheme = api.path("components").path("securitySchemes").path("oauth2");
        assertThat(scheme.path("type").asText()).isEqualTo("oauth2");
        JsonNode flow = scheme.path("flows").path("clientCredentials");
        assertThat(flow.path("tokenUrl").asText()).isEqualTo(LocalIssuer.shared().tokenEndpoint());
        assertThat(flow.path("scopes").has("digiads/images.read")).isTrue();
        assertThat(flow.path("scopes").has("digiads/images.write")).isTrue();

        JsonNode paths = api.path("paths");
        assertThat(scopes(paths.path("/images").path("post"))).isEqualTo("digiads/images.write");
        assertThat(scopes(paths.path("/images/{imageId}").path("delete"))).isEqualTo("digiads/images.write");
        assertThat(scopes(paths.path("/images/{imageId}/metadata").path("get"))).isEqualTo("digiads/images.read");
        assertThat(scopes(paths.path("/images/{imageId}/digiads").path("get"))).isEqualTo("digiads/images.read");
        assertThat(scopes(paths.path("/images").path("get"))).isEqualTo("digiads/images.read");
        assertThat(scopes(paths.path("/labels").path("get"))).isEqualTo("digiads/images.read");
        for (JsonNode operation : java.util.List.of(paths.path("/images").path("post"),
                paths.path("/images/{imageId}/metadata").path("get"))) {
            assertThat(operation.path("responses").has("401")).isTrue();
            assertThat(operation.path("responses").has("403")).isTrue();
        }
        assertThat(paths.path("/images").path("post").path("responses").has("429")).isTrue();
    }

    private static String scopes(JsonNode operation) {
        JsonNode security = operation.path("security");
        assertThat(security.size()).as(operation.toString()).isEqualTo(1);
        return String.join(" ", java.util.stream.StreamSupport.stream(
                security.get(0).path("oauth2").spliterator(), false).map(JsonNode::asText).toList());
    }

    @Test
    void behindAProxyTheServerIsTheForwardedOrigin() {
        JsonNode api = body(send(HttpRequest.newBuilder(uri("/api/openapi.json"))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "ads.example.com").GET()));

        assertThat(api.path("servers").get(0).path("url").asText()).isEqualTo("https://ads.example.com/api");
    }
}
