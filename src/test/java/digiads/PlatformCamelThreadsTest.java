package digiads;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformCamelThreadsTest {

    private String before;

    @BeforeEach
    void keep() {
        before = System.getProperty(PlatformCamelThreads.CAMEL_VIRTUAL_THREADS);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(PlatformCamelThreads.CAMEL_VIRTUAL_THREADS);
        } else {
            System.setProperty(PlatformCamelThreads.CAMEL_VIRTUAL_THREADS, before);
        }
    }

    @Test
    void camelKeepsPlatformThreadsUnlessTheJvmWasToldOtherwise() {
        System.clearProperty(PlatformCamelThreads.CAMEL_VIRTUAL_THREADS);
        new PlatformCamelThreads().postProcessEnvironment(new StandardEnvironment(), null);
        assertThat(System.getProperty(PlatformCamelThreads.CAMEL_VIRTUAL_THREADS)).isEqualTo("false");

        System.setProperty(PlatformCamelThreads.CAMEL_VIRTUAL_THREADS, "true");
        new PlatformCamelThreads().postProcessEnvironment(new StandardEnvironment(), null);
        assertThat(System.getProperty(PlatformCamelThreads.CAMEL_VIRTUAL_THREADS)).as("an explicit -D stays").isEqualTo("true");
        assertThat(new PlatformCamelThreads().getOrder()).as("before camel-spring-boot's own post-processor")
                .isEqualTo(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
    }
}
