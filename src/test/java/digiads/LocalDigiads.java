package digiads;

import com.github.tomakehurst.wiremock.WireMockServer;
import digiads.local.AwsResources;
import digiads.local.DealsStandIn;
import digiads.local.MotoServer;
import org.springframework.boot.SpringApplication;

/**
 * The local run: {@code ./mvnw spring-boot:test-run}. Starts moto server (emulated AWS) on port
 * 4566 and the Deals API stand-in (WireMock) on port 8089, provisions the resources, and runs the
 * application with the "local" profile on port 8080.
 * It lives in the test sources so that none of it reaches the production jar.
 */
public final class LocalDigiads {

    static final int MOTO_PORT = 4566;
    static final int DEALS_PORT = 8089;

    private LocalDigiads() {
    }

    public static void main(String[] args) {
        if (MotoServer.listening(MOTO_PORT)) {
            System.out.println("Using the moto server already listening on port " + MOTO_PORT);
        } else {
            MotoServer moto = MotoServer.start(MOTO_PORT);
            Runtime.getRuntime().addShutdownHook(new Thread(moto::close, "moto-stop"));
            System.out.println("Started " + moto);
        }
        WireMockServer deals = DealsStandIn.start(DEALS_PORT);
        Runtime.getRuntime().addShutdownHook(new Thread(deals::stop, "deals-stop"));
        System.out.println("Started the Deals API stand-in (WireMock) on " + deals.baseUrl());
        SpringApplication.from(DigiadsApplication::main)
                .with(AwsResources.class)
                .withAdditionalProfiles("local")
                .run(args);
        printHowToTry();
    }

    private static void printHowToTry() {
        System.out.println("""

                digiads is up on http://localhost:8080 with emulated AWS on http://localhost:4566

                  # upload an image through the API (stored under images/, labeled within seconds)
                  curl -s -X POST -H 'Content-Type: image/jpeg' --data-binary @photo.jpg 'http://localhost:8080/api/images?name=photo.jpg'
                  # or put it into the emulated bucket directly
                  curl -s -X PUT -H 'Content-Type: image/jpeg' --data-binary @photo.jpg http://localhost:4566/digiads-images/images/beach.jpg
                  # read its metadata
                  curl -s http://localhost:8080/api/images/photo.jpg/metadata
                  # its labels with deals (Deals API stand-in on http://localhost:8089)
                  curl -s http://localhost:8080/api/images/photo.jpg/digiads
                  # delete it; the metadata goes too
                  curl -s -X DELETE http://localhost:8080/api/images/photo.jpg

                  OpenAPI: http://localhost:8080/api/openapi.json   Health: http://localhost:8080/actuator/health
                """);
    }
}
