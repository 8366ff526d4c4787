package digiads.bench;

import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The AWS calls a pipeline run made, by operation: moto's request recorder, the DetectModerationLabels the Rekognition
 * stand-in answered itself, and the DynamoDB calls of a {@link DynamoRecorder}; the suite's own ({@link #DRIVER_HEADER}) left out.
 */
record AwsCalls(String moto, Path recording, String standIn, DynamoRecorder dynamo) {

    /** Marks a call of the suite's own load driver (not of the pipeline under test). */
    static final String DRIVER_HEADER = "X-Bench-Driver";

    static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([a-z0-9-]+)/aws4_request");
    static final Map<String, String> SERVICES = Map.of("s3", "S3", "sqs", "SQS", "dynamodb", "DynamoDB",
            "rekognition", "Rekognition", "sns", "SNS", "sts", "STS");

    /** Forgets what was recorded and starts recording. */
    void reset() {
        admin(moto + "/moto-api/recorder/stop-recording", "POST");
        admin(moto + "/moto-api/recorder/reset-recording", "POST");
        admin(standIn + "/__admin/requests", "DELETE");
        if (dynamo != null) {
            dynamo.countOperations();
        }
        admin(moto + "/moto-api/recorder/start-recording", "POST");
    }

    /** Stops recording; the calls since {@link #reset()} by "Service Operation", the suite's own left out. */
    Map<String, Long> operations() {
        admin(moto + "/moto-api/recorder/stop-recording", "POST");
        Map<String, Long> ops = new TreeMap<>();
        try (var lines = Files.lines(recording)) {
            lines.forEach(line -> {
                String op = operation(line);
                if (op != null) {
                    ops.merge(op, 1L, Long::sum);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            ops.put("(no recording: " + e.getMessage() + ")", 0L);
        }
        if (dynamo != null) {
            dynamo.operations().forEach((op, n) -> ops.merge(op, n, Long::sum));
        }
        long moderation = moderationCalls();
        if (moderation > 0) {
            ops.merge("Rekognition DetectModerationLabels", moderation, Long::sum);
        }
        return ops;
    }

    /** The operation of one recorded request, or null for the suite's own calls and moto's API. */
    static String operation(String recorded) {
        JsonNode e;
        try {
            e = Clients.JSON.readTree(recorded);
        } catch (IOException ex) {
            return "(unreadable record)";
        }
        JsonNode h = e.path("headers");
        String url = e.path("url").asText();
        if (header(h, DRIVER_HEADER) != null || url.contains("/moto-api/")) {
            return null;
        }
        String auth = header(h, "Authorization");
        Matcher m = auth == null ? null : SCOPE.matcher(auth);
        String service = m != null && m.find() ? SERVICES.getOrDefault(m.group(1), m.group(1)) : "?";
        String target = header(h, "X-Amz-Target");
        if (target != null) {
            return service + " " + target.substring(target.indexOf('.') + 1);
        }
        String method = e.path("method").asText();
        if (service.equals("S3")) {
            return "S3 " + s3Operation(method, url, header(h, "x-amz-copy-source") != null);
        }
        String body = e.path("body").asText("");
        if (e.path("body_encoded").asBoolean()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        Matcher action = Pattern.compile("(?:^|&)Action=([A-Za-z]+)").matcher(body);
        return service + " " + (action.find() ? action.group(1) : method);
    }

    static String s3Operation(String method, String url, boolean copy) {
        String path = url.replaceFirst("^https?://[^/]+", "");
        String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
        path = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        boolean object = path.replaceFirst("^/", "").contains("/") && !path.endsWith("/");
        if (!object) {
            return method + " bucket" + (query.isEmpty() ? "" : "?" + query.split("[=&]")[0]);
        }
        return switch (method) {
            case "GET" -> "GetObject";
            case "PUT" -> copy ? "CopyObject" : "PutObject";
            case "HEAD" -> "HeadObject";
            case "DELETE" -> "DeleteObject";
            default -> method + " object";
        };
    }

    private static String header(JsonNode headers, String name) {
        for (var it = headers.properties().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue().asText();
            }
        }
        return null;
    }

    private long moderationCalls() {
        try {
            Http.Response r = Http.call("POST", standIn + "/__admin/requests/count", Map.of(),
                    "{\"method\": \"POST\", \"headers\": {\"X-Amz-Target\": {\"contains\": \"DetectModerationLabels\"}}}",
                    2000, 30000);
            return r.status() == 200 ? Clients.JSON.readTree(r.body()).path("count").asLong() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void admin(String url, String method) {
        try {
            Http.Response r = Http.call(method, url, Map.of(), method.equals("POST") ? "" : null, 2000, 10000);
            if (r.status() >= 300) {
                throw new IllegalStateException(method + " " + url + ": HTTP " + r.status());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url, e);
        }
    }
}
