package digiads.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is what the configuration metadata and application.properties say now, and every
 * property the app sets is described there: a property added, renamed, re-described or given another default
 * without regenerating the page fails the build.
 */
class ConfigurationDocTest {

    @Test
    void theConfigurationPageIsCurrent() throws IOException {
        String now = ConfigurationReference.now().render();
        if (Boolean.getBoolean("docs.write") || "".equals(System.getProperty("docs.write"))) {
            Files.writeString(ConfigurationReference.DOC, now);
        }
        assertThat(Files.readString(ConfigurationReference.DOC))
                .as("%s differs from what the configuration metadata says now; regenerate it with: %s",
                        ConfigurationReference.DOC, ConfigurationReference.REGENERATE)
                .isEqualTo(now);
    }

    @Test
    void everyPropertyTheAppSetsIsDescribed() throws IOException {
        ConfigurationReference reference = ConfigurationReference.now();
        assertThat(reference.notInProjectMetadata())
                .as("digiads properties of %s that are neither a @ConfigurationProperties record's component nor "
                        + "declared in %s", ConfigurationReference.DEFAULTS, ConfigurationReference.ADDITIONAL_METADATA)
                .isEmpty();
        assertThat(reference.undescribed())
                .as("properties of %s without a description (a record component's @param, an entry of %s, or the "
                        + "library's own metadata)", ConfigurationReference.DEFAULTS, ConfigurationReference.ADDITIONAL_METADATA)
                .isEmpty();
    }
}
