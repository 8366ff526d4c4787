package digiads;

import digiads.local.AwsResources;
import digiads.local.LocalStack;
import java.util.UUID;

import org.springframework.boot.SpringApplication;

/**
 * The local run: {@code ./mvnw spring-boot:test-run}. Starts the {@link LocalStack}: moto server (emulated AWS) on port
 * 4566, the labeler (DetectLabels by a real image model) on port 4568, the Rekognition stand-in in front
 * of it (DetectModerationLabels from its mappings, the rest passed on to moto) on port 4567, the Deals API stand-in (WireMock) on port 8089 and the local OAuth2 issuer on port 9000,
 * provisions the resources, and runs the application with the "local" profile: the API on port
 * 8080, operations on 8081 with an operator password made up for this run (or
 * SPRING_SECURITY_USER_PASSWORD when set).
 * It lives in the test sources so that none of it reaches the production jar.
 */
public final class LocalDigiads {

    private LocalDigiads() {
    }

    public static void main(String[] args) {
        // moto, the labeler, the Rekognition and Deals stand-ins and the issuer, on the local profile's ports
        LocalStack stack = LocalStack.start(LocalStack.Ports.LOCAL, true, true);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-stack-stop"));
        String operatorPassword = System.getenv().getOrDefault("SPRING_SECURITY_USER_PASSWORD",
                UUID.randomUUID().toString());
        SpringApplication.from(DigiadsApplication::main)
                .with(AwsResources.class)
                .withAdditionalProfiles("local")
                .run(append(args, "--spring.security.user.password=" + operatorPassword));
        printHowToTry(operatorPassword);
    }

    private static String[] append(String[] args, String arg) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = arg;
        return all;
    }

    private static void printHowToTry(String operatorPassword) {
        System.out.println("""

                digiads is up on http://localhost:8080 with emulated AWS on http://localhost:4566

                  # a developer's access token (both scopes) from the local issuer
                  TOKEN=$(curl -s -u digiads-dev:digiads-dev-secret -d grant_type=client_credentials http://localhost:9000/oauth2/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
                  # upload an image through the API (stored under images/, labeled within seconds)
                  curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: image/jpeg' --data-binary @src/test/resources/photos/chelsea.jpg 'http://localhost:8080/api/images?name=photo.jpg'
                  # or put it into the emulated bucket directly
                  curl -s -X PUT -H 'Content-Type: image/jpeg' --data-binary @src/test/resources/photos/chelsea.jpg http://localhost:4566/digiads-images/images/cat.jpg
                  # read its metadata: the labeler's model calls the cat Animal, Mammal, Cat
                  curl -s -H "Authorization: Bearer $TOKEN" http://localhost:8080/api/images/photo.jpg/metadata
                  # its labels with deals (Deals API stand-in on http://localhost:8089)
                  curl -s -H "Authorization: Bearer $TOKEN" http://localhost:8080/api/images/photo.jpg/digiads
                  # the images labeled Cat, and how many images carry each label
                  curl -s -H "Authorization: Bearer $TOKEN" 'http://localhost:8080/api/images?label=Cat'
                  curl -s -H "Authorization: Bearer $TOKEN" http://localhost:8080/api/labels
                  # the moderation stand-in decides by the key: 'unsafe-violence' in it -> UNSAFE, no deals (README)
                  curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: image/jpeg' --data-binary @src/test/resources/photos/chelsea.jpg 'http://localhost:8080/api/images?name=unsafe-violence.jpg'
                  curl -s -H "Authorization: Bearer $TOKEN" http://localhost:8080/api/images/unsafe-violence.jpg/digiads
                  # delete it; the metadata goes too
                  curl -s -H "Authorization: Bearer $TOKEN" -X DELETE http://localhost:8080/api/images/photo.jpg

                  OpenAPI: http://localhost:8080/api/openapi.json
                  Operations (management port): http://localhost:8081/actuator/hawtio  Health: http://localhost:8081/actuator/health
                  Operator login: %s / %s
                """.formatted(System.getenv().getOrDefault("DIGIADS_ADMIN_USER", "admin"), operatorPassword));
    }
}
