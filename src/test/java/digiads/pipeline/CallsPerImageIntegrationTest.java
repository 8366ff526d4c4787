package digiads.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.local.MotoServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A measurement, not a check (it asserts nothing, and is left out of the build's runs): the AWS calls
 * the running pipeline makes per image, by service, operation and queue, counted by moto's request
 * recorder, long polls included, for 5 images one at a time and 40 put at once. DetectModerationLabels
 * is answered by the Rekognition stand-in, not moto: one more per image. The test's own calls (its puts,
 * its reads of the table, its queue-attribute polls) are named as such. Run it with
 * {@code ./mvnw test -Dtest=CallsPerImageIntegrationTest -Ddigiads.calls=true} and read the lines
 * starting with CALLS in target/surefire-reports/digiads.pipeline.CallsPerImageIntegrationTest-output.txt.
 * (The tests' consumers long-poll 1 s instead of 20: idle polls weigh more here than in production.)
 */
@EnabledIfSystemProperty(named = "digiads.calls", matches = "true")
class CallsPerImageIntegrationTest extends MotoTestSupport {

    private static final String OWN = "the test's own: ";

    @Test
    void callsPerImage() throws Exception {
        awaitPipelineIdle();
        measure("one at a time", 5, true);
        measure("at once", 40, false);
    }

    private void measure(String name, int count, boolean oneAtATime) throws Exception {
        MotoServer moto = MotoServer.shared();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add("calls/" + name.replace(' ', '-') + "-" + i + ".jpg");
        }
        moto.startRecording();
        try {
            if (oneAtATime) {
                for (String id : ids) {
                    putObject(id, TestImages.jpeg(), "image/jpeg");
                    Awaitility.await().atMost(PIPELINE_TIMEOUT).until(() -> dynamo.getItem(b -> b.tableName(TABLE)
                            .key(Map.of("imageId", AttributeValue.fromS(id))).projectionExpression("imageId")).hasItem());
                }
            } else {
                ids.parallelStream().forEach(id -> putObject(id, TestImages.jpeg(), "image/jpeg"));
            }
            awaitPipelineIdle();
        } finally {
            moto.stopRecording();
        }
        Map<String, Integer> calls = new TreeMap<>();
        for (String line : moto.recording().split("\n")) {
            if (!line.isBlank()) {
                calls.merge(operation(json.readTree(line)), 1, Integer::sum);
            }
        }
        int pipeline = calls.entrySet().stream().filter(e -> !e.getKey().startsWith(OWN)).mapToInt(Map.Entry::getValue).sum();
        StringBuilder report = new StringBuilder(String.format("CALLS %d images %s%n", count, name));
        calls.forEach((operation, n) -> report.append(String.format("CALLS   %-62s %5d %6.2f an image%n", operation, n,
                n / (double) count)));
        report.append(String.format("CALLS   the pipeline: %d = %.2f an image, and DetectModerationLabels 1%n", pipeline,
                pipeline / (double) count));
        System.out.println(report);
    }

    /** The service, operation and (for SQS) queue of a recorded request; the test's own calls named so. */
    private String operation(JsonNode request) throws Exception {
        String target = null;
        for (var header : (Iterable<Map.Entry<String, JsonNode>>) request.path("headers")::fields) {
            if (header.getKey().equalsIgnoreCase("X-Amz-Target")) {
                target = header.getValue().asText();
            }
        }
        String body = request.path("body_encoded").asBoolean()
                ? new String(Base64.getDecoder().decode(request.path("body").asText()), StandardCharsets.ISO_8859_1)
                : request.path("body").asText();
        if (target == null) {
            return body.contains("Action=") ? "SNS " + body.replaceAll("(?s).*Action=([A-Za-z]+).*", "$1")
                    : request.path("method").asText().equals("PUT") ? OWN + "S3 PUT" : "S3 " + request.path("method").asText();
        }
        if (body.contains("\"ProjectionExpression\":\"imageId\"")) {
            return OWN + target;
        }
        if (target.startsWith("AmazonSQS.")) {
            String queue = json.readTree(body).path("QueueUrl").asText();
            String name = queue.substring(queue.lastIndexOf('/') + 1).replaceAll("digiads-updates-.*", "digiads-updates-<instance>");
            return (target.endsWith("GetQueueAttributes") ? OWN : "") + target + " " + name;
        }
        return target;
    }
}
