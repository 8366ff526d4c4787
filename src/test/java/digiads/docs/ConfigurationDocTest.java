package digiads.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

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
        List<String> written = Files.readAllLines(ConfigurationReference.DOC);
        List<String> current = now.lines().toList();
        assertThat(written)
                .as("%s differs from what the configuration metadata says now; regenerate it with: %s%n"
                                + "lines it lacks: %s%nlines no longer true: %s", ConfigurationReference.DOC,
                        ConfigurationReference.REGENERATE, missing(current, written), missing(written, current))
                .isEqualTo(current);
    }

    private static List<String> missing(List<String> lines, List<String> from) {
        return lines.stream().filter(line -> !from.contains(line)).limit(20).toList();
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
