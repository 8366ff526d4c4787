package digiads.local;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * Rekognition for the local run and the tests: moto emulates DetectLabels but has no
 * DetectModerationLabels, so the application's Rekognition client talks to this WireMock instead
 * ({@code digiads.aws.rekognition-endpoint-override}). It answers DetectModerationLabels on the real
 * wire protocol (AWS JSON 1.1, {@code X-Amz-Target: RekognitionService.DetectModerationLabels}, the
 * real answer's shape with its ModerationModelVersion) from the mappings in
 * {@code src/test/resources/rekognition}, which choose the labels by the object's key (README:
 * "What is emulated"), and passes every other request on to moto. The same mappings and the same
 * pass-through (WireMock's {@code --proxy-all}: a stub of the lowest precedence that proxies anything)
 * serve compose, the reliability proofs and the benchmarks.
 */
public final class RekognitionStandIn {

    public static final String MAPPINGS = "src/test/resources/rekognition";
    public static final String DETECT_MODERATION_LABELS = "RekognitionService.DetectModerationLabels";
    /** The precedence of WireMock's {@code --proxy-all} stub: below every mapping's. */
    static final int PASS_THROUGH_PRIORITY = 10;

    private static WireMockServer shared;

    private RekognitionStandIn() {
    }

    /**
     * Starts the stand-in on the port.
     *
     * @param aws where every request but DetectModerationLabels goes: moto's endpoint
     */
    public static WireMockServer start(int port, String aws) {
        WireMockServer server = new WireMockServer(options()
                .port(port)
                .bindAddress("127.0.0.1")
                .usingFilesUnderDirectory(MAPPINGS)
                .globalTemplating(false)
                .templatingEnabled(true)
                .containerThreads(32)
                .jettyAcceptors(2));
        server.start();
        passThrough(server, aws);
        return server;
    }

    /** The pass-through to AWS (moto) that {@code --proxy-all} adds; again after a reset of the mappings. */
    public static void passThrough(WireMockServer server, String aws) {
        server.stubFor(any(anyUrl()).atPriority(PASS_THROUGH_PRIORITY).willReturn(aResponse().proxiedFrom(aws)));
    }

    /** The one stand-in the tests of a JVM share, in front of the shared moto, on a free port; stopped when the JVM exits. */
    public static synchronized WireMockServer shared() {
        if (shared == null) {
            shared = start(MotoServer.freePort(), MotoServer.shared().endpoint());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "rekognition-stop"));
        }
        return shared;
    }
}
