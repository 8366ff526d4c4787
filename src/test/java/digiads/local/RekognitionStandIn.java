package digiads.local;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * Rekognition for the local run and the tests, at {@code digiads.aws.rekognition-endpoint-override}.
 * DetectLabels goes to the {@link LabelerServer labeler}, a real image model on the real wire protocol
 * (moto answers every image with the same constant labels). DetectModerationLabels, which moto lacks,
 * is answered here on the real wire protocol (AWS JSON 1.1, {@code X-Amz-Target:
 * RekognitionService.DetectModerationLabels}, the real answer's shape with its ModerationModelVersion)
 * from the mappings in {@code src/test/resources/rekognition}, which choose the labels by the object's
 * key (README: "What is emulated"). Anything else passes on to moto. The same mappings serve compose,
 * the reliability proofs and the benchmarks.
 */
public final class RekognitionStandIn {

    public static final String MAPPINGS = "src/test/resources/rekognition";
    public static final String DETECT_MODERATION_LABELS = "RekognitionService.DetectModerationLabels";
    public static final String DETECT_LABELS = "RekognitionService.DetectLabels";
    /**
     * The precedence of the labeler's stub: below every mapping's, so a test's own DetectLabels stub wins
     * (compose's docker/rekognition/detect-labels.json has the same).
     */
    public static final int LABELER_PRIORITY = 9;
    /** The precedence of WireMock's {@code --proxy-all} stub: below every mapping's. */
    static final int PASS_THROUGH_PRIORITY = 10;

    private static WireMockServer shared;

    private RekognitionStandIn() {
    }

    /**
     * Starts the stand-in on the port.
     *
     * @param aws where every request but DetectLabels and DetectModerationLabels goes: moto's endpoint
     * @param labeler where DetectLabels goes: the labeler's endpoint
     */
    public static WireMockServer start(int port, String aws, String labeler) {
        WireMockServer server = new WireMockServer(options()
                .port(port)
                .bindAddress("127.0.0.1")
                .usingFilesUnderDirectory(MAPPINGS)
                .globalTemplating(false)
                .templatingEnabled(true)
                .containerThreads(32)
                .jettyAcceptors(2));
        server.start();
        server.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(DETECT_LABELS))
                .atPriority(LABELER_PRIORITY).willReturn(aResponse().proxiedFrom(labeler)));
        server.stubFor(any(anyUrl()).atPriority(PASS_THROUGH_PRIORITY).willReturn(aResponse().proxiedFrom(aws)));
        return server;
    }

    /** The one stand-in the tests of a JVM share, in front of the shared moto, on a free port; stopped when the JVM exits. */
    public static synchronized WireMockServer shared() {
        if (shared == null) {
            shared = start(MotoServer.freePort(), MotoServer.shared().endpoint(), LabelerServer.shared().endpoint());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "rekognition-stop"));
        }
        return shared;
    }
}
