package digiads.local;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * The third-party Deals API, played by WireMock with the mappings in
 * {@code src/test/resources/deals}: deals templated from the label asked for. Make it slow or fail
 * through WireMock's admin API (see README) to watch the fallback work.
 */
public final class DealsStandIn {

    public static final String MAPPINGS = "src/test/resources/deals";

    private static WireMockServer shared;

    private DealsStandIn() {
    }

    public static WireMockServer start(int port) {
        WireMockServer server = new WireMockServer(options()
                .port(port)
                .bindAddress("127.0.0.1")
                .usingFilesUnderDirectory(MAPPINGS)
                .globalTemplating(false)
                .templatingEnabled(true)
                .containerThreads(64)
                .jettyAcceptors(2));
        server.start();
        return server;
    }

    /** The one stand-in the tests of a JVM share, on a free port; stopped when the JVM exits. */
    public static synchronized WireMockServer shared() {
        if (shared == null) {
            shared = start(MotoServer.freePort());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "deals-stop"));
        }
        return shared;
    }
}
