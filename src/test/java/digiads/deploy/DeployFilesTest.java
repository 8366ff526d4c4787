package digiads.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import digiads.local.RekognitionStandIn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What docker/compose.yaml shares with the build and the test code. The rules of the deployment files
 * themselves (the template, the Dockerfile, compose) are checkov policies: infra/policies, run by
 * infra/checkov.sh in ./mvnw verify (docs/deploy-policies.md).
 */
class DeployFilesTest {

    static Path root;
    static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        root = repositoryRoot();
        Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(root.resolve("docker/compose.yaml")));
        services = (Map<String, Object>) compose.get("services");
    }

    @Test
    void composeRunsTheMotoAndWireMockVersionsOfThePom() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(root.resolve("pom.xml").toFile());
        String moto = pom.getElementsByTagName("moto.version").item(0).getTextContent().strip();
        String wiremock = pom.getElementsByTagName("wiremock.version").item(0).getTextContent().strip();
        assertThat(moto).isNotBlank();
        assertThat(wiremock).isNotBlank();
        assertThat(service("moto").get("image")).isEqualTo("motoserver/moto:" + moto);
        assertThat(service("provision").get("image")).isEqualTo("motoserver/moto:" + moto);
        assertThat(service("deals").get("image")).isEqualTo("wiremock/wiremock:" + wiremock);
        assertThat(service("rekognition").get("image")).isEqualTo("wiremock/wiremock:" + wiremock);
    }

    /** compose's Rekognition stand-in answers DetectModerationLabels with the mappings the tests use. */
    @Test
    void rekognitionStandInServesTheTestsMappings() throws IOException {
        String[] volume = String.valueOf(((List<?>) service("rekognition").get("volumes")).get(0)).split(":");
        assertThat(volume[1]).startsWith("/home/wiremock/mappings/");
        Path mappings = root.resolve("docker").resolve(volume[0]).normalize();
        assertThat(mappings).isEqualTo(root.resolve(RekognitionStandIn.MAPPINGS).resolve("mappings"));
        try (var files = Files.list(mappings)) {
            assertThat(files.map(DeployFilesTest::read)).as("a stub of DetectModerationLabels by its X-Amz-Target")
                    .anyMatch(stub -> stub.contains(RekognitionStandIn.DETECT_MODERATION_LABELS));
        }
    }

    /** compose's DetectLabels stub is the one the tests' stand-in adds in code: same operation, same priority. */
    @Test
    void composeSendsDetectLabelsToTheLabelerAsTheTestsStandInDoes() {
        String stub = read(root.resolve("docker/rekognition/detect-labels.json"));
        assertThat(stub).contains("\"equalTo\": \"" + RekognitionStandIn.DETECT_LABELS + "\"")
                .contains("\"priority\": " + RekognitionStandIn.LABELER_PRIORITY + ",");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(String name) {
        assertThat(services).containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("docker")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
