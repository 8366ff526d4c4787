package digiads.pipeline;

import digiads.DigiadsApplication;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.MockEndpointsAndSkip;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The routes with every AWS endpoint replaced (profile "routes"), and the pipeline's functions
 * behind image-events mocked and skipped, so each route is tested on its own without a network.
 */
@CamelSpringBootTest
@SpringBootTest(classes = DigiadsApplication.class)
@ActiveProfiles("routes")
@MockEndpointsAndSkip("direct:(extract|delete)-metadata")
abstract class RouteTestSupport {

    @Autowired
    protected CamelContext camel;
    @Autowired
    protected ProducerTemplate producer;

    @BeforeEach
    void resetMocks() {
        MockEndpoint.resetMocks(camel);
    }
}
