package digiads.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static checks of the deployment files, so that they cannot drift from the code and the build:
 * docker/compose.yaml, docker/Dockerfile (+ its .dockerignore), docker/provision/provision.py and
 * infra/digiads.yaml. Nothing is started; the files are parsed (YAML with SnakeYAML, the POM with
 * the JDK's XML parser) and compared with pom.xml and src/main/resources/application.properties.
 * {@link ResourceDefinitionTest} holds the template's data resources equal to infra/resources.json.
 * The ports come from there: server.port is the public REST API, management.server.port the
 * actuator/Hawtio/Jolokia port that must never be published beyond localhost or put on a listener.
 */
class DeployFilesTest {

    /**
     * DIGIADS_* variables the deployment files may set although application.properties has no key for
     * them (yet): the Deals API settings, added by the Deals feature (digiads.deals.base-url,
     * digiads.deals.api-key). Once the keys exist the ordinary check covers them as well.
     */
    static final Set<String> ALLOWED_WITHOUT_PROPERTY = Set.of("DIGIADS_DEALS_BASE_URL", "DIGIADS_DEALS_API_KEY");

    /** What the app needs in compose to reach moto and the Deals stand-in. */
    static final Set<String> APP_ENV_REQUIRED = Set.of(
            "DIGIADS_AWS_ENDPOINT_OVERRIDE", "DIGIADS_AWS_ACCESS_KEY_ID", "DIGIADS_AWS_SECRET_ACCESS_KEY",
            "DIGIADS_AWS_ACCOUNT_ID", "DIGIADS_SQS_BASE_URL", "DIGIADS_DEALS_BASE_URL", "DIGIADS_DEALS_API_KEY");

    /** The OAuth2 scopes of the API (resource server digiads). */
    static final List<String> API_SCOPES = List.of("digiads/images.read", "digiads/images.write");

    /** The main class of the local OAuth2 issuer in the test sources. */
    static final String LOCAL_ISSUER = "digiads.local.LocalIssuer";

    /** A checkov inline skip in a Dockerfile or compose file: the check id, then a reason. */
    static final Pattern INLINE_SKIP = Pattern.compile("checkov:skip=([A-Z0-9_]+)(.*)");

    static Path root;
    static Properties appProperties;
    static Map<String, String> pomProperties;

    @BeforeAll
    static void load() throws Exception {
        root = repositoryRoot();
        appProperties = new Properties();
        try (Reader in = Files.newBufferedReader(root.resolve("src/main/resources/application.properties"))) {
            appProperties.load(in);
        }
        pomProperties = pomProperties(root.resolve("pom.xml"));
    }

    static String serverPort() {
        String port = appProperties.getProperty("server.port");
        assertThat(port).as("server.port in application.properties").isNotBlank();
        return port;
    }

    static String managementPort() {
        String port = appProperties.getProperty("management.server.port");
        assertThat(port).as("management.server.port in application.properties").isNotBlank()
                .isNotEqualTo(serverPort());
        return port;
    }

    // ------------------------------------------------------------------------------------------------
    @Nested
    class Compose {

        final Map<String, Object> compose = yaml(root.resolve("docker/compose.yaml"));
        final Map<String, Object> services = map(compose.get("services"));

        @Test
        void hasTheFiveServices() {
            assertThat(services).containsKeys("moto", "provision", "deals", "issuer", "app");
        }

        @Test
        void appIsBuiltFromTheRepositoryWithTheDockerfile() {
            Map<String, Object> build = map(service("app").get("build"));
            Path context = root.resolve("docker").resolve(String.valueOf(build.get("context"))).normalize();
            assertThat(context).isEqualTo(root.normalize());
            assertThat(context.resolve(String.valueOf(build.get("dockerfile")))).isRegularFile()
                    .isEqualTo(root.resolve("docker/Dockerfile"));
        }

        @Test
        void appPublishesTheApiPortAndTheManagementPortOnLocalhostOnly() {
            List<String> ports = strings(service("app").get("ports"));
            assertThat(ports).contains(serverPort() + ":" + serverPort(), "127.0.0.1:" + managementPort() + ":" + managementPort());
            services.forEach((name, service) -> strings(map(service).get("ports")).stream()
                    .filter(port -> port.endsWith(":" + managementPort()) || port.endsWith(":" + managementPort() + "/tcp"))
                    .forEach(port -> assertThat(port).as(name + " publishes the management port").startsWith("127.0.0.1:")));
            assertThat(service("app").get("expose")).as("app expose").isNull();
        }

        @Test
        void appHealthcheckIsLivenessOnTheManagementPort() {
            String test = String.join(" ", strings(map(service("app").get("healthcheck")).get("test")));
            assertThat(test).contains("http://localhost:" + managementPort() + "/actuator/health/liveness");
        }

        @Test
        void issuerIsTheLocalIssuerStageOfTheDockerfile() {
            Map<String, Object> issuer = service("issuer");
            Map<String, Object> build = map(issuer.get("build"));
            assertThat(root.resolve("docker").resolve(String.valueOf(build.get("context"))).normalize())
                    .isEqualTo(root.normalize());
            assertThat(build.get("dockerfile")).isEqualTo("docker/Dockerfile");
            String target = String.valueOf(build.get("target"));
            Map<String, List<Instruction>> stages = stages(dockerfile(root.resolve("docker/Dockerfile")));
            assertThat(stages).as("Dockerfile stages").containsKey(target);
            assertThat(stages.get(target).stream().filter(i -> i.is("ENTRYPOINT") || i.is("CMD")).map(Instruction::args))
                    .as("what the " + target + " stage runs").anySatisfy(run -> assertThat(run).contains(LOCAL_ISSUER));
            Map<String, String> env = environment(issuer);
            assertThat(env).containsEntry("LOCAL_ISSUER_URL", "http://localhost:9000");
            String port = env.getOrDefault("SERVER_PORT", "9000");
            assertThat(strings(issuer.get("ports"))).containsExactly("9000:" + port);
            assertThat(issuer).containsKey("healthcheck");
        }

        @Test
        void appTrustsTheLocalIssuer() {
            Map<String, String> env = environment(service("app"));
            Map<String, String> issuer = environment(service("issuer"));
            // tokens fetched from the host carry iss http://localhost:9000; the app gets the keys in the network
            assertThat(env.get("DIGIADS_SECURITY_ISSUER_URI")).isEqualTo(issuer.get("LOCAL_ISSUER_URL"));
            assertThat(env.get("DIGIADS_SECURITY_JWK_SET_URI"))
                    .isEqualTo("http://issuer:" + issuer.getOrDefault("SERVER_PORT", "9000") + "/oauth2/jwks");
            assertThat(dependency("app", "issuer")).isEqualTo("service_healthy");
        }

        @Test
        void appGetsTheOperatorPasswordFromTheEnvironmentOrDoesNotStart() {
            // ${VAR:?message}: compose refuses to run without it, as the app refuses to start without a password
            assertThat(environment(service("app")).get("SPRING_SECURITY_USER_PASSWORD"))
                    .matches("\\$\\{DIGIADS_ADMIN_PASSWORD:\\?[^}]+}");
        }

        @Test
        void everyInlineCheckovSkipHasAReason() {
            assertInlineSkipsHaveReasons(root.resolve("docker/compose.yaml"));
        }

        @Test
        void appHasTheEnvironmentItNeeds() {
            Map<String, String> env = environment(service("app"));
            assertThat(env).containsKeys(APP_ENV_REQUIRED.toArray(String[]::new));
            // the endpoint is the moto service on the port moto listens on; queue URLs hang off it
            String motoPort = environment(service("moto")).getOrDefault("MOTO_PORT", "5000");
            assertThat(env.get("DIGIADS_AWS_ENDPOINT_OVERRIDE")).isEqualTo("http://moto:" + motoPort);
            assertThat(env.get("DIGIADS_SQS_BASE_URL"))
                    .isEqualTo(env.get("DIGIADS_AWS_ENDPOINT_OVERRIDE") + "/" + env.get("DIGIADS_AWS_ACCOUNT_ID"));
            assertThat(env.get("DIGIADS_AWS_ACCOUNT_ID")).isEqualTo("123456789012"); // moto's fixed account
            assertThat(env.get("DIGIADS_DEALS_BASE_URL")).isEqualTo("http://deals:8080");
        }

        @Test
        void everyDigiadsVariableNamesAnApplicationProperty() {
            Map<String, String> unknown = new TreeMap<>();
            services.forEach((name, service) -> environment(map(service)).keySet().stream()
                    .filter(variable -> variable.startsWith("DIGIADS_"))
                    .filter(variable -> !ALLOWED_WITHOUT_PROPERTY.contains(variable) && propertyFor(variable) == null)
                    .forEach(variable -> unknown.put(variable, name)));
            assertThat(unknown).as("DIGIADS_* variables (→ service) that bind to no key of application.properties")
                    .isEmpty();
        }

        @Test
        void motoImageIsThePinnedMotoVersion() {
            String moto = pomProperties.get("moto.version");
            assertThat(moto).as("<moto.version> in pom.xml").isNotBlank();
            assertThat(String.valueOf(service("moto").get("image"))).isEqualTo("motoserver/moto:" + moto);
            assertThat(String.valueOf(service("provision").get("image"))).isEqualTo("motoserver/moto:" + moto);
        }

        @Test
        void dealsImageIsThePinnedWireMockVersion() {
            String wiremock = pomProperties.get("wiremock.version");
            assertThat(wiremock).as("<wiremock.version> in pom.xml").isNotBlank();
            assertThat(String.valueOf(service("deals").get("image"))).isEqualTo("wiremock/wiremock:" + wiremock);
            assertThat(strings(service("deals").get("command"))).contains("--global-response-templating");
        }

        /**
         * The app's Rekognition is the stand-in (moto has no DetectModerationLabels): the WireMock of the
         * Deals stand-in's version with the mappings the tests use (digiads.local.RekognitionStandIn),
         * passing everything else on to moto; the app waits for it.
         */
        @Test
        void rekognitionStandInAnswersModerationAndPassesTheRestToMoto() throws Exception {
            Map<String, Object> rekognition = service("rekognition");
            assertThat(String.valueOf(rekognition.get("image"))).isEqualTo("wiremock/wiremock:" + pomProperties.get("wiremock.version"));
            String motoPort = environment(service("moto")).getOrDefault("MOTO_PORT", "5000");
            assertThat(strings(rekognition.get("command"))).contains("--proxy-all=http://moto:" + motoPort);
            Path mappings = hostPathOf(rekognition, "/home/wiremock/mappings");
            assertThat(mappings).isEqualTo(root.resolve(digiads.local.RekognitionStandIn.MAPPINGS).resolve("mappings"));
            try (var files = Files.list(mappings)) {
                assertThat(files.map(DeployFilesTest::read)).as("a stub of DetectModerationLabels by its X-Amz-Target")
                        .anyMatch(m -> m.contains(digiads.local.RekognitionStandIn.DETECT_MODERATION_LABELS));
            }
            assertThat(map(rekognition.get("healthcheck"))).containsKey("test");
            assertThat(environment(service("app")).get("DIGIADS_AWS_REKOGNITION_ENDPOINT_OVERRIDE"))
                    .isEqualTo("http://rekognition:8080");
            assertThat(dependency("app", "rekognition")).isEqualTo("service_healthy");
        }

        @Test
        void startOrderIsMotoThenProvisionThenApp() {
            assertThat(dependency("provision", "moto")).isEqualTo("service_healthy");
            assertThat(dependency("app", "provision")).isEqualTo("service_completed_successfully");
            assertThat(dependency("app", "deals")).isIn("service_started", "service_healthy");
            for (String name : List.of("moto", "deals", "issuer", "app")) {
                assertThat(service(name)).as(name + " healthcheck").containsKey("healthcheck");
                assertThat(map(service(name).get("healthcheck"))).as(name + " healthcheck").containsKey("test")
                        .doesNotContainEntry("disable", true);
            }
        }

        @Test
        void provisionRunsTheProvisionScript() {
            Map<String, Object> provision = service("provision");
            String entrypoint = String.join(" ", strings(provision.get("entrypoint")));
            Matcher script = Pattern.compile("(/\\S+\\.py)").matcher(entrypoint);
            assertThat(script.find()).as("entrypoint runs a Python script: " + entrypoint).isTrue();
            assertThat(hostPathOf(provision, script.group(1))).as("host file behind " + script.group(1))
                    .isEqualTo(root.resolve("docker/provision/provision.py"));
            assertThat(root.resolve("docker/provision/provision.py")).isRegularFile();
        }

        /** The script reads the one resource definition, which compose mounts where it tells the script. */
        @Test
        void provisionGetsTheResourceDefinition() {
            Map<String, Object> provision = service("provision");
            String definition = environment(provision).get("RESOURCES_DEFINITION");
            assertThat(definition).as("RESOURCES_DEFINITION of the provision service").isNotBlank();
            assertThat(hostPathOf(provision, definition)).as("host file behind " + definition)
                    .isEqualTo(root.resolve("infra/resources.json"));
            assertThat(read(root.resolve("docker/provision/provision.py"))).contains("\"RESOURCES_DEFINITION\"");
        }

        @Test
        void everyBindMountSourceExists() {
            services.forEach((name, service) -> strings(map(service).get("volumes")).stream()
                    .map(volume -> volume.split(":")[0])
                    .filter(source -> source.startsWith("."))
                    .forEach(source -> assertThat(root.resolve("docker").resolve(source).normalize())
                            .as(name + " mounts " + source).exists()));
        }

        String dependency(String service, String on) {
            Object dependsOn = service(service).get("depends_on");
            assertThat(dependsOn).as(service + " depends_on").isInstanceOf(Map.class);
            Map<String, Object> condition = map(map(dependsOn).get(on));
            return String.valueOf(condition.get("condition"));
        }

        /** The host path that a container path of the service comes from, through its bind mounts. */
        Path hostPathOf(Map<String, Object> service, String containerPath) {
            for (String volume : strings(service.get("volumes"))) {
                String[] parts = volume.split(":");
                if (containerPath.equals(parts[1])) { // a file mounted as it is
                    return root.resolve("docker").resolve(parts[0]).normalize();
                }
                String target = parts[1].endsWith("/") ? parts[1] : parts[1] + "/";
                if (containerPath.startsWith(target)) {
                    return root.resolve("docker").resolve(parts[0]).resolve(containerPath.substring(target.length()))
                            .normalize();
                }
            }
            return null;
        }

        Map<String, Object> service(String name) {
            assertThat(services).containsKey(name);
            return map(services.get(name));
        }
    }

    // ------------------------------------------------------------------------------------------------
    @Nested
    class Provisioning {

        final String script = read(root.resolve("docker/provision/provision.py"));

        /**
         * The app's variables the script reads bind to keys of application.properties, and a literal
         * default is the app's (the resources' names default to infra/resources.json's, which
         * ResourceDefinitionTest holds equal to the app's).
         */
        @Test
        void scriptSettingsAreTheApplicationSettings() {
            Matcher setting = Pattern.compile("setting\\(\"(DIGIADS_[A-Z0-9_]+)\",\\s*(\"([^\"]*)\")?").matcher(script);
            Map<String, String> defaults = new LinkedHashMap<>();
            while (setting.find()) {
                defaults.put(setting.group(1), setting.group(3));
            }
            assertThat(defaults).containsKeys("DIGIADS_S3_BUCKET", "DIGIADS_S3_KEY_PREFIX", "DIGIADS_DYNAMODB_TABLE",
                    "DIGIADS_DYNAMODB_LABELS_TABLE", "DIGIADS_AWS_REGION");
            defaults.forEach((variable, value) -> {
                String key = propertyFor(variable);
                assertThat(key).as(variable + " binds to a key of application.properties").isNotNull();
                if (value != null && !key.startsWith("digiads.aws.endpoint") && !key.contains("access-key")
                        && !key.contains("secret")) {
                    assertThat(value).as(variable + " default vs " + key).isEqualTo(appProperties.getProperty(key));
                }
            });
            // the queues' variables are made from their roles in the definition
            assertThat(script).contains("f\"DIGIADS_SQS_{role.upper()}\"", "variable + \"_QUEUE\"", "variable + \"_DLQ\"");
        }
    }

    // ------------------------------------------------------------------------------------------------
    @Nested
    class Dockerfile {

        final List<Instruction> instructions = dockerfile(root.resolve("docker/Dockerfile"));

        @Test
        void isMultiStage() {
            assertThat(all("FROM")).hasSizeGreaterThanOrEqualTo(2);
        }

        @Test
        void runsAsANonRootUser() {
            List<Instruction> users = finalStage().stream().filter(i -> i.is("USER")).toList();
            assertThat(users).isNotEmpty();
            String user = users.get(users.size() - 1).args().split(":")[0];
            assertThat(user).isNotIn("root", "0", "");
        }

        @Test
        void hasAHealthcheckOnLivenessOnTheManagementPort() {
            List<Instruction> checks = finalStage().stream().filter(i -> i.is("HEALTHCHECK")).toList();
            assertThat(checks).hasSize(1);
            // the management port, or the one MANAGEMENT_SERVER_PORT moves it to
            assertThat(checks.get(0).args()).doesNotStartWith("NONE")
                    .contains("http://localhost:${MANAGEMENT_SERVER_PORT:-" + managementPort() + "}/actuator/health/liveness");
        }

        @Test
        void exposesTheServerAndManagementPorts() {
            assertThat(finalStage().stream().filter(i -> i.is("EXPOSE"))
                    .flatMap(i -> List.of(i.args().split("\\s+")).stream()))
                    .containsExactlyInAnyOrder(serverPort(), managementPort());
        }

        /**
         * The local-issuer stage compiles the test sources and runs the local issuer, as a non-root
         * user; the app's stages take nothing from it and copy no test sources.
         */
        @Test
        void localIssuerStageRunsTheIssuerFromTheTestClasses() {
            Map<String, List<Instruction>> stages = stages(instructions);
            assertThat(stages).containsKey("local-issuer");
            List<Instruction> issuer = stages.get("local-issuer");
            assertThat(issuer.stream().filter(i -> i.is("ENTRYPOINT")).map(Instruction::args))
                    .singleElement().asString().contains(LOCAL_ISSUER).contains("test-classes");
            assertThat(issuer.stream().filter(i -> i.is("USER")).map(i -> i.args().split(":")[0]))
                    .isNotEmpty().last().asString().isNotIn("root", "0");
            assertThat(issuer.stream().filter(i -> i.is("EXPOSE")).map(Instruction::args)).contains("9000");
            assertThat(all("RUN").stream().map(Instruction::args))
                    .anySatisfy(run -> assertThat(run).contains("test-compile").contains("-DincludeScope=test"));

            String appStage = instructions.stream().filter(i -> i.is("FROM")).reduce((a, b) -> b).orElseThrow().args();
            assertThat(appStage).as("the last stage is the app").doesNotContain("local-issuer");
            assertThat(finalStage().stream().filter(i -> i.is("COPY")).map(Instruction::args))
                    .allSatisfy(copy -> assertThat(copy).doesNotContain("local-issuer").doesNotContain("test-classes"));
            assertThat(stages.get("build").stream().filter(i -> i.is("COPY")).map(Instruction::args))
                    .as("the app's build stage").noneMatch(copy -> copy.startsWith("src/ ") || copy.contains("src/test"));
        }

        @Test
        void everyInlineCheckovSkipHasAReason() {
            assertInlineSkipsHaveReasons(root.resolve("docker/Dockerfile"));
        }

        /**
         * The image starts the extracted jar (its lib/ beside it, as the AOT cache needs: classes from
         * jars on a class path that does not change) with the AOT cache that a training run of this
         * image's JVM wrote (docker/train-aot-cache.sh: a full start with nothing reachable, then a stop).
         */
        @Test
        void startsTheExtractedJarWithTheAotCacheOfATrainingRun() {
            List<String> layers = finalStage().stream().filter(i -> i.is("COPY") && i.args().contains("--from="))
                    .map(i -> i.args().replaceAll(".*/extracted/([a-z-]+)/.*", "$1")).toList();
            assertThat(layers).containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
            assertThat(all("RUN").stream().map(Instruction::args))
                    .anySatisfy(run -> assertThat(run).contains("-Djarmode=tools").contains("extract --layers --destination")
                            .doesNotContain("--launcher"));
            List<String> finalRuns = finalStage().stream().filter(i -> i.is("RUN")).map(Instruction::args).toList();
            assertThat(finalRuns).as("the training run, in the app's own stage (its JVM)").contains("sh train-aot-cache.sh");
            assertThat(all("ENTRYPOINT").get(all("ENTRYPOINT").size() - 1).args())
                    .contains("\"java\", \"@jvm.options\", \"-XX:AOTCache=app.aot\"").contains("\"-jar\", \"application.jar\"");
        }

        /**
         * The JVM's settings are one file, docker/jvm.options, and the training run one script: both
         * copied into the app's stage before the training (the cache is used only by a JVM with the same
         * settings), kept in the build context, and no JAVA_TOOL_OPTIONS of the image overrides them.
         * The script trains with the same settings, runs the app until it has started, and fails the
         * build when it did not start or wrote no cache.
         */
        @Test
        void trainsAndStartsWithTheJvmOptionsFile() throws IOException {
            List<Instruction> stage = finalStage();
            int options = indexOf(stage, i -> i.is("COPY") && i.args().equals("docker/jvm.options ./"));
            int script = indexOf(stage, i -> i.is("COPY") && i.args().equals("docker/train-aot-cache.sh ./"));
            int trained = indexOf(stage, i -> i.is("RUN") && i.args().contains("train-aot-cache.sh"));
            assertThat(options).as("jvm.options copied into the app's stage").isNotNegative().isLessThan(trained);
            assertThat(script).as("the training script copied into the app's stage").isNotNegative().isLessThan(trained);
            assertThat(stage).noneMatch(i -> i.is("ENV") && i.args().contains("JAVA_TOOL_OPTIONS"));
            assertThat(Files.readAllLines(root.resolve("docker/Dockerfile.dockerignore")))
                    .contains("!docker/jvm.options", "!docker/train-aot-cache.sh");
            assertThat(Files.readString(root.resolve("docker/jvm.options"))).contains("-XX:MaxRAMPercentage=");
            assertThat(Files.readString(root.resolve("docker/train-aot-cache.sh")))
                    .contains("java @jvm.options -XX:AOTCacheOutput=app.aot -Djava.io.tmpdir=\"$tmp\" -jar")
                    .contains("grep -q \"Started DigiadsApplication\"")
                    .doesNotContain("spring.context.exit");
        }

        /** The bases are build arguments (docker/local-base/build.sh builds local ones); their defaults are public Temurin 25 images. */
        @Test
        void everyStageRunsOnJava25() {
            Map<String, String> defaults = new LinkedHashMap<>();
            instructions.stream().filter(i -> i.is("ARG") && i.args().contains("="))
                    .forEach(i -> defaults.put(i.args().split("=", 2)[0], i.args().split("=", 2)[1]));
            List<String> bases = all("FROM").stream().map(i -> i.args().split("\\s+")[0])
                    .map(from -> from.matches("\\$\\{\\w+}") ? defaults.get(from.substring(2, from.length() - 1)) : from)
                    .toList();
            assertThat(bases).doesNotContainNull();
            assertThat(bases.stream().filter(from -> from.contains("temurin")))
                    .isNotEmpty().allSatisfy(from -> assertThat(from).containsPattern("temurin-25|temurin:25"));
        }

        @Test
        void buildSkipsTheMotoVenvStep() {
            assertThat(all("RUN").stream().map(Instruction::args).filter(run -> run.contains("mvnw")))
                    .isNotEmpty().allSatisfy(run -> assertThat(run).contains("-Dexec.skip=true"));
        }

        @Test
        void everyCopyFromTheContextExistsAndIsNotIgnored() {
            // the patterns in order; a later "!pattern" takes a path back in, as in Docker's own matching
            List<String> patterns = read(root.resolve("docker/Dockerfile.dockerignore")).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> line.replaceAll("/+$", "")).toList();
            List<String> sources = new ArrayList<>();
            for (Instruction copy : all("COPY")) {
                if (copy.args().contains("--from=")) {
                    continue; // from another stage, not from the context
                }
                List<String> words = Stream.of(copy.args().split("\\s+")).filter(w -> !w.startsWith("--")).toList();
                sources.addAll(words.subList(0, words.size() - 1)); // the last word is the destination
            }
            assertThat(sources).contains("pom.xml", "src/main/", "src/test/", "docker/jvm.options", "docker/train-aot-cache.sh");
            for (String source : sources) {
                String path = source.replaceAll("/+$", "");
                assertThat(root.resolve(path)).as("COPY source " + source).exists();
                boolean ignored = false;
                for (String pattern : patterns) {
                    boolean negated = pattern.startsWith("!");
                    String p = negated ? pattern.substring(1) : pattern;
                    if (path.equals(p) || path.startsWith(p + "/")) {
                        ignored = !negated;
                    }
                }
                assertThat(ignored).as("COPY source " + source + " ignored by docker/Dockerfile.dockerignore").isFalse();
            }
            assertThat(patterns).contains("target", ".venv-moto", ".git");
        }

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.is(keyword)).toList();
        }

        static int indexOf(List<Instruction> stage, java.util.function.Predicate<Instruction> which) {
            for (int i = 0; i < stage.size(); i++) {
                if (which.test(stage.get(i))) {
                    return i;
                }
            }
            return -1;
        }

        List<Instruction> finalStage() {
            int last = 0;
            for (int i = 0; i < instructions.size(); i++) {
                if (instructions.get(i).is("FROM")) {
                    last = i;
                }
            }
            return instructions.subList(last, instructions.size());
        }
    }

    // ------------------------------------------------------------------------------------------------
    @Nested
    class CloudFormation {

        final Map<String, Object> template = yaml(root.resolve("infra/digiads.yaml"));
        final Map<String, Object> resources = map(template.get("Resources"));

        @Test
        void queuesHaveTheirDeadLetterQueuesAndAreEncrypted() {
            assertThat(resourcesOfType("AWS::SQS::Queue"))
                    .containsOnlyKeys("EventsQueue", "EventsDlq", "MetadataQueue", "MetadataDlq");
            assertRedrive("EventsQueue", "EventsDlq", "EventsQueueName");
            assertRedrive("MetadataQueue", "MetadataDlq", "MetadataQueueName");
            assertThat(properties("EventsDlq")).doesNotContainKey("RedrivePolicy");
            assertThat(properties("MetadataDlq")).doesNotContainKey("RedrivePolicy");
            resourcesOfType("AWS::SQS::Queue").keySet()
                    .forEach(queue -> assertThat(properties(queue).get("SqsManagedSseEnabled")).as(queue).isEqualTo(true));
        }

        /** The redrive's count and the queues' other settings: ResourceDefinitionTest. */
        void assertRedrive(String queue, String dlq, String nameParameter) {
            Map<String, Object> redrive = map(properties(queue).get("RedrivePolicy"));
            assertThat(ref(redrive.get("deadLetterTargetArn"))).as(queue).isEqualTo(dlq + ".Arn");
            assertThat(ref(properties(queue).get("QueueName"))).isEqualTo(nameParameter);
        }

        @Test
        void onlyS3MaySendTheBucketsEventsToTheEventsQueue() {
            Map<String, Object> policies = resourcesOfType("AWS::SQS::QueuePolicy");
            assertThat(policies).hasSize(1);
            Map<String, Object> policy = map(map(policies.values().iterator().next()).get("Properties"));
            assertThat(list(policy.get("Queues")).stream().map(DeployFilesTest::ref)).containsExactly("EventsQueue");
            List<Object> statements = list(map(policy.get("PolicyDocument")).get("Statement"));
            assertThat(statements).hasSize(1);
            Map<String, Object> statement = map(statements.get(0));
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            assertThat(map(statement.get("Principal")).get("Service")).isEqualTo("s3.amazonaws.com");
            assertThat(strings(statement.get("Action"))).containsExactly("sqs:SendMessage");
            assertThat(ref(statement.get("Resource"))).isEqualTo("EventsQueue.Arn");
            Map<String, Object> condition = map(statement.get("Condition"));
            assertThat(ref(map(condition.get("ArnLike")).get("aws:SourceArn")))
                    .isEqualTo("arn:${AWS::Partition}:s3:::${BucketName}");
            assertThat(ref(map(condition.get("StringEquals")).get("aws:SourceAccount"))).isEqualTo("AWS::AccountId");
        }

        /** Its notification (queue, events, prefix filter): ResourceDefinitionTest. */
        @Test
        void bucketIsPrivateEncryptedRetainedAndMayNotifyTheEventsQueue() {
            Map<String, Object> bucket = resource("ImagesBucket");
            assertThat(strings(bucket.get("DependsOn"))).contains("EventsQueuePolicy");
            assertThat(bucket.get("DeletionPolicy")).isEqualTo("Retain");
            Map<String, Object> properties = properties("ImagesBucket");
            assertThat(ref(properties.get("BucketName"))).isEqualTo("BucketName");
            assertThat(map(properties.get("PublicAccessBlockConfiguration")).values()).hasSize(4).containsOnly(true);
            assertThat(properties).containsKey("BucketEncryption");
        }

        /** Its key, billing and TTL attribute: ResourceDefinitionTest. */
        @Test
        void tableIsRetained() {
            assertThat(resource("MetadataTable").get("DeletionPolicy")).isEqualTo("Retain");
        }

        /** The label index is kept like the metadata: retained, protected, encrypted with the stack's key, PITR. */
        @Test
        void labelIndexTableIsRetainedEncryptedAndRecoverableLikeTheMetadata() {
            assertThat(resource("LabelsTable").get("DeletionPolicy")).isEqualTo("Retain");
            assertThat(resource("LabelsTable").get("UpdateReplacePolicy")).isEqualTo("Retain");
            Map<String, Object> properties = properties("LabelsTable");
            for (String setting : List.of("SSESpecification", "PointInTimeRecoverySpecification",
                    "DeletionProtectionEnabled")) {
                assertThat(properties.get(setting)).as(setting).isEqualTo(properties("MetadataTable").get(setting));
            }
            assertThat(ref(map(properties.get("SSESpecification")).get("KMSMasterKeyId"))).isEqualTo("DataKey");
        }

        /**
         * Least privilege: exactly the actions the code makes, each on exactly its resources. The
         * expected grants follow the calls in src/main (S3 GetObject ranged/PutObject/DeleteObject and
         * presigned PUT URLs, SQS consumers and producers, DynamoDB items without DeleteItem: a deleted
         * image leaves an expiring tombstone, Rekognition DetectLabels and DetectModerationLabels) and
         * what S3 and Camel's endpoints need (s3:ListBucket makes a missing object a NoSuchKey rather
         * than a 403; listings are held to the key prefix). The aws2-ddb endpoint makes no DescribeTable
         * on start. The table is encrypted with the stack's key, which DynamoDB uses on the app's behalf
         * (kms:ViaService).
         */
        @Test
        void appRoleGrantsExactlyWhatTheAppCalls() {
            Map<String, Set<String>> expected = new TreeMap<>();
            grant(expected, "ImageBucket.Arn/KeyPrefix*", "s3:GetObject", "s3:PutObject", "s3:DeleteObject");
            grant(expected, "ImagesBucket.Arn", "s3:ListBucket");
            // GetQueueAttributes and DescribeTable: the readiness health indicators (digiads.ops.AwsHealth).
            grant(expected, "EventsQueue.Arn", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                    "sqs:SendMessage");
            grant(expected, "MetadataQueue.Arn", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:SendMessage",
                    "sqs:GetQueueAttributes");
            // SendMessage: dead-lettering; Receive/Delete/ChangeMessageVisibility (and SendMessage to the
            // queues): the operator's redrive, which shows what it held but did not move again at its end.
            // GetQueueAttributes of every queue: the tombstone outlives their retention (TombstoneLife).
            grant(expected, "EventsDlq.Arn", "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                    "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes");
            grant(expected, "MetadataDlq.Arn", "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                    "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes");
            // a state change: GetItem, then TransactWriteItems (its Put of the item, Puts and Deletes of index
            // items, Updates of counts: IAM checks each action); the search: Query of the index.
            grant(expected, "MetadataTable.Arn", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DescribeTable");
            grant(expected, "LabelsTable.Arn", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem",
                    "dynamodb:UpdateItem");
            // the gallery's index; live updates: the topic, and each instance's own queue (created at start)
            grant(expected, "${MetadataTable.Arn}/index/recent-images", "dynamodb:Query");
            grant(expected, "UpdatesTopic", "sns:Publish", "sns:Subscribe");
            grant(expected, "${UpdatesTopic}:*", "sns:Unsubscribe");
            grant(expected, "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:digiads-updates-*",
                    "sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes",
                    "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility");
            grant(expected, "DataKey.Arn", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey");
            grant(expected, "*", "rekognition:DetectLabels", "rekognition:DetectModerationLabels");
            // Camel's SQS consumer extends visibility (ChangeMessageVisibilityBatch) only when asked to.
            if (appProperties.values().stream().anyMatch(v -> String.valueOf(v).contains("extendMessageVisibility=true"))) {
                grant(expected, "EventsQueue.Arn", "sqs:ChangeMessageVisibility");
                grant(expected, "MetadataQueue.Arn", "sqs:ChangeMessageVisibility");
            }

            Map<String, Set<String>> granted = new TreeMap<>();
            Map<String, Object> conditions = new TreeMap<>();
            for (Map<String, Object> statement : roleStatements("AppRole")) {
                assertThat(statement.get("Effect")).isEqualTo("Allow");
                assertThat(statement).doesNotContainKeys("NotAction", "NotResource");
                List<String> actions = strings(statement.get("Action"));
                assertThat(actions).as("actions").noneMatch(a -> a.contains("*"));
                for (Object resource : asList(statement.get("Resource"))) {
                    String arn = ref(resource).replace("${ImagesBucket.Arn}/${KeyPrefix}*", "ImageBucket.Arn/KeyPrefix*");
                    if (arn.equals("*")) {
                        assertThat(actions).as("only Rekognition's calls may have Resource *")
                                .containsExactlyInAnyOrder("rekognition:DetectLabels", "rekognition:DetectModerationLabels");
                    }
                    actions.forEach(action -> granted.computeIfAbsent(action, a -> new TreeSet<>()).add(arn));
                }
                if (statement.containsKey("Condition")) {
                    conditions.put(String.join(",", actions), statement.get("Condition"));
                }
            }
            assertThat(granted).isEqualTo(expected);

            // ListBucket only for listings under the key prefix; the table's key only through DynamoDB.
            assertThat(conditions).containsOnlyKeys("s3:ListBucket",
                    "kms:Decrypt,kms:DescribeKey,kms:Encrypt,kms:GenerateDataKey");
            Map<String, Object> prefix = map(conditions.get("s3:ListBucket"));
            assertThat(prefix).hasSize(1);
            String operator = prefix.keySet().iterator().next();
            assertThat(operator).isIn("StringLike", "StringLikeIfExists", "StringEquals", "StringEqualsIfExists");
            assertThat(map(prefix.get(operator))).containsOnlyKeys("s3:prefix");
            assertThat(ref(map(prefix.get(operator)).get("s3:prefix"))).isEqualTo("${KeyPrefix}*");
            assertViaService(conditions.get("kms:Decrypt,kms:DescribeKey,kms:Encrypt,kms:GenerateDataKey"), "dynamodb");
        }

        /** ECS's role for starting the task: pull the image, write its logs, read exactly its two secrets. */
        @Test
        void executionRoleGrantsThePullTheLogsAndTheTwoSecrets() {
            Map<String, Set<String>> expected = new TreeMap<>();
            grant(expected, "*", "ecr:GetAuthorizationToken");
            grant(expected, "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*",
                    "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage");
            grant(expected, "AppLogGroup.Arn", "logs:CreateLogStream", "logs:PutLogEvents");
            grant(expected, "AdminPasswordSecret", "secretsmanager:GetSecretValue");
            grant(expected, "DealsApiKeySecret", "secretsmanager:GetSecretValue");
            grant(expected, "DataKey.Arn", "kms:Decrypt");

            Map<String, Set<String>> granted = new TreeMap<>();
            for (Map<String, Object> statement : roleStatements("ExecutionRole")) {
                assertThat(statement.get("Effect")).isEqualTo("Allow");
                assertThat(statement).doesNotContainKeys("NotAction", "NotResource");
                List<String> actions = strings(statement.get("Action"));
                for (Object resource : asList(statement.get("Resource"))) {
                    String arn = ref(resource);
                    if (arn.equals("*")) {
                        assertThat(actions).as("only the ECR login may have Resource *").containsExactly("ecr:GetAuthorizationToken");
                    }
                    actions.forEach(action -> granted.computeIfAbsent(action, a -> new TreeSet<>()).add(arn));
                }
                if (actions.contains("kms:Decrypt")) {
                    assertViaService(statement.get("Condition"), "secretsmanager");
                }
            }
            assertThat(granted).isEqualTo(expected);
            assertTrustsEcsTasksOfThisAccount("ExecutionRole");
        }

        void assertViaService(Object condition, String service) {
            Map<String, Object> equals = map(map(condition).get("StringEquals"));
            assertThat(ref(equals.get("kms:ViaService"))).isEqualTo(service + ".${AWS::Region}.amazonaws.com");
        }

        @Test
        void appRoleIsForEcsTasksOfThisAccount() {
            assertTrustsEcsTasksOfThisAccount("AppRole");
        }

        void assertTrustsEcsTasksOfThisAccount(String role) {
            Map<String, Object> trust = map(properties(role).get("AssumeRolePolicyDocument"));
            List<Object> statements = list(trust.get("Statement"));
            assertThat(statements).hasSize(1);
            Map<String, Object> statement = map(statements.get(0));
            assertThat(map(statement.get("Principal")).get("Service")).isEqualTo("ecs-tasks.amazonaws.com");
            assertThat(strings(statement.get("Action"))).containsExactly("sts:AssumeRole");
            assertThat(ref(map(map(statement.get("Condition")).get("StringEquals")).get("aws:SourceAccount")))
                    .isEqualTo("AWS::AccountId");
        }

        @Test
        void outputsGiveTheAppEnvironment() {
            Map<String, Object> outputs = map(template.get("Outputs"));
            assertThat(outputs).containsKeys("BucketName", "EventsQueueUrl", "EventsDlqUrl", "MetadataQueueUrl",
                    "MetadataDlqUrl", "TableName", "LabelsTableName", "AppRoleArn", "AppEnvironment");
            String environment = ref(map(outputs.get("AppEnvironment")).get("Value"));
            List<String> variables = Pattern.compile("(DIGIADS_[A-Z0-9_]+)=").matcher(environment).results()
                    .map(m -> m.group(1)).toList();
            assertThat(variables).contains("DIGIADS_AWS_REGION", "DIGIADS_AWS_ACCOUNT_ID", "DIGIADS_S3_BUCKET",
                    "DIGIADS_SQS_EVENTS_QUEUE", "DIGIADS_SQS_METADATA_QUEUE", "DIGIADS_DYNAMODB_TABLE",
                    "DIGIADS_DYNAMODB_LABELS_TABLE");
            assertThat(variables).allSatisfy(variable -> assertThat(propertyFor(variable)).as(variable).isNotNull());
            // what the output documents is what the task gets
            assertThat(containerEnvironment().keySet()).containsAll(variables);
        }

        // --- ECS ----------------------------------------------------------------------------------------

        @Test
        void taskDefinitionRunsTheImageOnFargateWithTheTaskAndExecutionRoles() {
            assertThat(resourcesOfType("AWS::ECS::TaskDefinition")).containsOnlyKeys("TaskDefinition");
            Map<String, Object> task = properties("TaskDefinition");
            assertThat(strings(task.get("RequiresCompatibilities"))).containsExactly("FARGATE");
            assertThat(task.get("NetworkMode")).isEqualTo("awsvpc");
            assertThat(ref(task.get("TaskRoleArn"))).isEqualTo("AppRole.Arn");
            assertThat(ref(task.get("ExecutionRoleArn"))).isEqualTo("ExecutionRole.Arn");
            assertThat(ref(container().get("Image"))).isEqualTo("ImageUri");
            assertThat(map(template.get("Parameters"))).containsKey("ImageUri");
            assertThat(container().get("ReadonlyRootFilesystem")).isEqualTo(true);

            Map<String, Object> service = properties("Service");
            assertThat(ref(service.get("TaskDefinition"))).isEqualTo("TaskDefinition");
            assertThat(ref(service.get("Cluster"))).isEqualTo("Cluster");
            assertThat(service.get("LaunchType")).isEqualTo("FARGATE");
            Map<String, Object> network = map(map(service.get("NetworkConfiguration")).get("AwsvpcConfiguration"));
            assertThat(network.get("AssignPublicIp")).isEqualTo("DISABLED");
            assertThat(ref(network.get("Subnets"))).isEqualTo("PrivateSubnetIds");
            assertThat(strings(network.get("SecurityGroups"))).singleElement();
            assertThat(ref(list(network.get("SecurityGroups")).get(0))).isEqualTo("TaskSecurityGroup");
        }

        @Test
        void containerMapsTheApiAndTheManagementPort() {
            assertThat(list(container().get("PortMappings")).stream().map(m -> String.valueOf(map(m).get("ContainerPort"))))
                    .containsExactlyInAnyOrder(serverPort(), managementPort());
        }

        @Test
        void containerHealthCheckIsLivenessOnTheManagementPort() {
            String command = String.join(" ", strings(map(container().get("HealthCheck")).get("Command")));
            assertThat(command).startsWith("CMD")
                    .contains("http://localhost:" + managementPort() + "/actuator/health/liveness");
        }

        /**
         * The app's settings as environment variables, its secrets from Secrets Manager: the operator
         * password generated, the Deals API key from the NoEcho parameter, neither in plain text.
         */
        @Test
        void containerGetsItsSettingsAndItsSecretsFromSecretsManager() {
            Map<String, Object> env = containerEnvironment();
            assertThat(env).containsKeys("DIGIADS_AWS_REGION", "DIGIADS_AWS_ACCOUNT_ID", "DIGIADS_S3_BUCKET",
                    "DIGIADS_SQS_EVENTS_QUEUE", "DIGIADS_SQS_EVENTS_DLQ", "DIGIADS_SQS_METADATA_QUEUE",
                    "DIGIADS_SQS_METADATA_DLQ", "DIGIADS_DYNAMODB_TABLE", "DIGIADS_DYNAMODB_LABELS_TABLE",
                    "DIGIADS_DEALS_BASE_URL",
                    "DIGIADS_SECURITY_ISSUER_URI", "DIGIADS_ADMIN_USER");
            assertThat(env).doesNotContainKeys("DIGIADS_AWS_ENDPOINT_OVERRIDE", "DIGIADS_AWS_ACCESS_KEY_ID",
                    "DIGIADS_AWS_SECRET_ACCESS_KEY", "SPRING_SECURITY_USER_PASSWORD", "DIGIADS_DEALS_API_KEY");
            assertThat(env.keySet()).noneMatch(name -> name.contains("PASSWORD") || name.contains("SECRET")
                    || name.endsWith("API_KEY"));

            Map<String, String> secrets = new TreeMap<>();
            for (Object secret : list(container().get("Secrets"))) {
                secrets.put(String.valueOf(map(secret).get("Name")), ref(map(secret).get("ValueFrom")));
            }
            assertThat(secrets).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "SPRING_SECURITY_USER_PASSWORD", "AdminPasswordSecret",
                    "DIGIADS_DEALS_API_KEY", "DealsApiKeySecret"));
            assertThat(resource("AdminPasswordSecret").get("Type")).isEqualTo("AWS::SecretsManager::Secret");
            assertThat(properties("AdminPasswordSecret")).containsKey("GenerateSecretString").doesNotContainKey("SecretString");
            assertThat(ref(properties("DealsApiKeySecret").get("SecretString"))).isEqualTo("DealsApiKey");
            assertThat(map(map(template.get("Parameters")).get("DealsApiKey"))).containsEntry("NoEcho", true)
                    .doesNotContainKey("Default");

            Set<String> unknown = new TreeSet<>();
            env.keySet().stream().filter(name -> name.startsWith("DIGIADS_")).filter(name -> !bindsToTheApp(name)).forEach(unknown::add);
            secrets.keySet().stream().filter(name -> name.startsWith("DIGIADS_")).filter(name -> !bindsToTheApp(name)).forEach(unknown::add);
            assertThat(unknown).as("DIGIADS_* variables of the task that the app does not read").isEmpty();
        }

        @Test
        void containerLogsToItsLogGroupWithRetention() {
            Map<String, Object> logging = map(container().get("LogConfiguration"));
            assertThat(logging.get("LogDriver")).isEqualTo("awslogs");
            assertThat(ref(map(logging.get("Options")).get("awslogs-group"))).isEqualTo("AppLogGroup");
            Map<String, Object> group = properties("AppLogGroup");
            assertThat(group).containsKeys("RetentionInDays", "KmsKeyId");
            assertThat(ref(group.get("RetentionInDays"))).isEqualTo("LogRetentionInDays");
        }

        // --- Load balancer --------------------------------------------------------------------------------

        /**
         * HTTPS forwards to the API port; HTTP only redirects to HTTPS; nothing forwards to the
         * management port, which serves the target group's health checks only.
         */
        @Test
        void loadBalancerForwardsToTheApiPortOnly() {
            Map<String, Object> listeners = resourcesOfType("AWS::ElasticLoadBalancingV2::Listener");
            assertThat(listeners).isNotEmpty();
            List<String> forwarded = new ArrayList<>();
            listeners.forEach((name, listener) -> {
                Map<String, Object> properties = map(map(listener).get("Properties"));
                assertThat(ref(properties.get("LoadBalancerArn"))).isEqualTo("LoadBalancer");
                for (Object action : list(properties.get("DefaultActions"))) {
                    Map<String, Object> defaultAction = map(action);
                    if ("forward".equals(defaultAction.get("Type"))) {
                        assertThat(properties.get("Protocol")).as(name).isEqualTo("HTTPS");
                        assertThat(properties.get("Port")).as(name).isEqualTo(443);
                        assertThat(String.valueOf(properties.get("SslPolicy"))).as(name).startsWith("ELBSecurityPolicy-TLS13-1-2");
                        assertThat(list(properties.get("Certificates")).stream().map(c -> ref(map(c).get("CertificateArn"))))
                                .containsExactly("CertificateArn");
                        forwarded.add(ref(defaultAction.get("TargetGroupArn")));
                    } else {
                        assertThat(defaultAction.get("Type")).as(name).isEqualTo("redirect");
                        assertThat(map(defaultAction.get("RedirectConfig"))).as(name).containsEntry("Protocol", "HTTPS");
                    }
                }
            });
            assertThat(resourcesOfType("AWS::ElasticLoadBalancingV2::ListenerRule")).isEmpty();
            assertThat(forwarded).containsExactly("ApiTargetGroup");
            assertThat(resourcesOfType("AWS::ElasticLoadBalancingV2::TargetGroup")).containsOnlyKeys("ApiTargetGroup");

            Map<String, Object> group = properties("ApiTargetGroup");
            assertThat(String.valueOf(group.get("Port"))).isEqualTo(serverPort());
            assertThat(String.valueOf(group.get("HealthCheckPort"))).isEqualTo(managementPort());
            assertThat(group.get("HealthCheckPath")).isEqualTo("/actuator/health/readiness");
            assertThat(group.get("TargetType")).isEqualTo("ip");

            List<Object> registered = list(properties("Service").get("LoadBalancers"));
            assertThat(registered).singleElement();
            assertThat(String.valueOf(map(registered.get(0)).get("ContainerPort"))).isEqualTo(serverPort());
            assertThat(ref(map(registered.get(0)).get("TargetGroupArn"))).isEqualTo("ApiTargetGroup");
        }

        /** Who may connect to the tasks: the load balancer (both ports) and, optionally, the operators (management). */
        @Test
        void tasksTakeTrafficFromTheLoadBalancerAndTheManagementPortFromNoNetwork() {
            Map<String, Set<String>> sources = new TreeMap<>(); // port -> source security groups
            for (Map<String, Object> rule : ingressRules("TaskSecurityGroup")) {
                assertThat(rule).as("task ingress " + rule).doesNotContainKeys("CidrIp", "CidrIpv6", "SourcePrefixListId");
                assertThat(rule.get("FromPort")).as("one port per rule").isEqualTo(rule.get("ToPort"));
                sources.computeIfAbsent(String.valueOf(rule.get("FromPort")), p -> new TreeSet<>())
                        .add(ref(rule.get("SourceSecurityGroupId")));
            }
            assertThat(sources).isEqualTo(Map.of(
                    serverPort(), Set.of("LoadBalancerSecurityGroup"),
                    managementPort(), Set.of("LoadBalancerSecurityGroup", "OperatorSecurityGroupId")));
            assertThat(resource("TaskManagementFromOperators").get("Condition")).isEqualTo("HasOperatorSecurityGroup");

            Set<String> open = new TreeSet<>();
            for (Map<String, Object> rule : ingressRules("LoadBalancerSecurityGroup")) {
                open.add(String.valueOf(rule.get("FromPort")) + "-" + rule.get("ToPort"));
            }
            assertThat(open).containsExactlyInAnyOrder("443-443", "80-80");
        }

        /** Inline SecurityGroupIngress of a group plus the AWS::EC2::SecurityGroupIngress resources on it. */
        List<Map<String, Object>> ingressRules(String group) {
            List<Map<String, Object>> rules = new ArrayList<>();
            Object inline = properties(group).get("SecurityGroupIngress");
            if (inline != null) {
                list(inline).forEach(rule -> rules.add(map(rule)));
            }
            resourcesOfType("AWS::EC2::SecurityGroupIngress").values().stream()
                    .map(r -> map(map(r).get("Properties")))
                    .filter(rule -> group.equals(ref(rule.get("GroupId"))))
                    .forEach(rules::add);
            rules.forEach(rule -> assertThat(rule).as("rule of " + group).containsKey("Description"));
            return rules;
        }

        // --- Scaling and alarms ---------------------------------------------------------------------------

        /** Target tracking of ApproximateNumberOfMessagesVisible of the events queue / RunningTaskCount of the service. */
        @Test
        void serviceScalesOnTheEventsQueueBacklogPerTask() {
            Map<String, Object> target = properties("ServiceScalableTarget");
            assertThat(target.get("ServiceNamespace")).isEqualTo("ecs");
            assertThat(target.get("ScalableDimension")).isEqualTo("ecs:service:DesiredCount");
            assertThat(ref(target.get("ResourceId"))).isEqualTo("service/${Cluster}/${Service.Name}");
            assertThat(ref(target.get("MinCapacity"))).isEqualTo("MinTasks");
            assertThat(ref(target.get("MaxCapacity"))).isEqualTo("MaxTasks");
            assertThat(map(map(template.get("Parameters")).get("MinTasks")).get("MinValue")).as("no division by zero tasks")
                    .isEqualTo(1);

            Map<String, Object> policies = resourcesOfType("AWS::ApplicationAutoScaling::ScalingPolicy");
            assertThat(policies).hasSize(1);
            Map<String, Object> policy = map(map(policies.values().iterator().next()).get("Properties"));
            assertThat(policy.get("PolicyType")).isEqualTo("TargetTrackingScaling");
            assertThat(ref(policy.get("ScalingTargetId"))).isEqualTo("ServiceScalableTarget");
            Map<String, Object> tracking = map(policy.get("TargetTrackingScalingPolicyConfiguration"));
            assertThat(ref(tracking.get("TargetValue"))).isEqualTo("EventsBacklogPerTask");

            String visible = null;
            String tasks = null;
            List<String> returned = new ArrayList<>();
            for (Object query : list(map(tracking.get("CustomizedMetricSpecification")).get("Metrics"))) {
                Map<String, Object> metricQuery = map(query);
                if (Boolean.TRUE.equals(metricQuery.get("ReturnData"))) {
                    returned.add(String.valueOf(metricQuery.get("Expression")));
                }
                if (!metricQuery.containsKey("MetricStat")) {
                    continue;
                }
                Map<String, Object> metric = map(map(metricQuery.get("MetricStat")).get("Metric"));
                Map<String, String> dimensions = dimensions(metric);
                if ("AWS/SQS".equals(metric.get("Namespace"))
                        && "ApproximateNumberOfMessagesVisible".equals(metric.get("MetricName"))) {
                    assertThat(dimensions).isEqualTo(Map.of("QueueName", "EventsQueue.QueueName"));
                    visible = String.valueOf(metricQuery.get("Id"));
                } else if ("ECS/ContainerInsights".equals(metric.get("Namespace"))
                        && "RunningTaskCount".equals(metric.get("MetricName"))) {
                    assertThat(dimensions).isEqualTo(Map.of("ClusterName", "Cluster", "ServiceName", "Service.Name"));
                    tasks = String.valueOf(metricQuery.get("Id"));
                }
            }
            assertThat(visible).as("the events queue's visible messages").isNotNull();
            assertThat(tasks).as("the service's running tasks").isNotNull();
            assertThat(returned).singleElement().asString().isEqualToIgnoringWhitespace(visible + "/" + tasks);
            // RunningTaskCount is a Container Insights metric
            assertThat(list(properties("Cluster").get("ClusterSettings")))
                    .contains(Map.of("Name", "containerInsights", "Value", "enabled"));
        }

        /** An alarm on the depth (> 0) of every DLQ and on the age of the oldest message of every work queue. */
        @Test
        void everyDlqAndEveryWorkQueueHasItsAlarm() {
            Set<String> dlqs = new TreeSet<>();
            Set<String> workQueues = new TreeSet<>();
            resourcesOfType("AWS::SQS::Queue").forEach((name, queue) -> {
                Object redrive = map(map(queue).get("Properties")).get("RedrivePolicy");
                if (redrive == null) {
                    dlqs.add(name);
                } else {
                    workQueues.add(name);
                    dlqs.add(ref(map(redrive).get("deadLetterTargetArn")).replace(".Arn", ""));
                }
            });
            assertThat(dlqs).containsExactlyInAnyOrder("EventsDlq", "MetadataDlq");

            Set<String> depthAlarms = new TreeSet<>();
            Set<String> ageAlarms = new TreeSet<>();
            resourcesOfType("AWS::CloudWatch::Alarm").forEach((name, alarm) -> {
                Map<String, Object> properties = map(map(alarm).get("Properties"));
                assertThat(properties.get("Namespace")).as(name).isEqualTo("AWS/SQS");
                assertThat(list(properties.get("AlarmActions")).stream().map(DeployFilesTest::ref)).as(name)
                        .containsExactly("AlarmTopic");
                assertThat(properties.get("ComparisonOperator")).as(name).isEqualTo("GreaterThanThreshold");
                String queue = dimensions(properties).get("QueueName").replace(".QueueName", "");
                switch (String.valueOf(properties.get("MetricName"))) {
                    case "ApproximateNumberOfMessagesVisible" -> {
                        assertThat(properties.get("Threshold")).as(name).isEqualTo(0);
                        depthAlarms.add(queue);
                    }
                    case "ApproximateAgeOfOldestMessage" -> {
                        assertThat(ref(properties.get("Threshold"))).as(name).isEqualTo("MaxMessageAgeSeconds");
                        ageAlarms.add(queue);
                    }
                    default -> throw new AssertionError(name + ": an alarm on " + properties.get("MetricName"));
                }
            });
            assertThat(depthAlarms).as("DLQs with a depth alarm").isEqualTo(dlqs);
            assertThat(ageAlarms).as("work queues with an age alarm").isEqualTo(workQueues);
        }

        // --- Cognito ------------------------------------------------------------------------------------

        /** A machine-to-machine client of the digiads resource server; the app trusts the pool as its issuer. */
        @Test
        void cognitoIssuesClientCredentialsTokensForTheApiScopes() {
            Map<String, Object> server = properties("UserPoolResourceServer");
            assertThat(ref(server.get("UserPoolId"))).isEqualTo("UserPool");
            assertThat(server.get("Identifier")).isEqualTo("digiads");
            assertThat(list(server.get("Scopes")).stream().map(scope -> "digiads/" + map(scope).get("ScopeName")))
                    .containsExactlyInAnyOrderElementsOf(API_SCOPES);
            assertThat(ref(properties("UserPoolDomain").get("UserPoolId"))).isEqualTo("UserPool");

            Map<String, Object> client = properties("ApiClient");
            assertThat(ref(client.get("UserPoolId"))).isEqualTo("UserPool");
            assertThat(client).containsEntry("GenerateSecret", true).containsEntry("AllowedOAuthFlowsUserPoolClient", true);
            assertThat(strings(client.get("AllowedOAuthFlows"))).containsExactly("client_credentials");
            assertThat(strings(client.get("AllowedOAuthScopes"))).containsExactlyInAnyOrderElementsOf(API_SCOPES);
            assertThat(strings(resource("ApiClient").get("DependsOn"))).contains("UserPoolResourceServer");

            Map<String, Object> outputs = map(template.get("Outputs"));
            String issuer = ref(map(outputs.get("IssuerUri")).get("Value"));
            assertThat(issuer).isEqualTo("https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${UserPool}");
            assertThat(ref(map(outputs.get("TokenEndpoint")).get("Value")))
                    .isEqualTo("https://${UserPoolDomain}.auth.${AWS::Region}.amazoncognito.com/oauth2/token");
            assertThat(ref(map(outputs.get("ApiClientId")).get("Value"))).isEqualTo("ApiClient");
            assertThat(ref(containerEnvironment().get("DIGIADS_SECURITY_ISSUER_URI"))).isEqualTo(issuer);
        }

        // --- checkov ------------------------------------------------------------------------------------

        /** Every checkov skip names a check and says why it does not apply. */
        @Test
        void everyCheckovSkipHasAReason() {
            resources.forEach((name, resource) -> {
                Object metadata = map(resource).get("Metadata");
                if (metadata == null || !map(metadata).containsKey("checkov")) {
                    return;
                }
                List<Object> skips = list(map(map(metadata).get("checkov")).get("skip"));
                assertThat(skips).as(name).isNotEmpty();
                for (Object skip : skips) {
                    assertThat(String.valueOf(map(skip).get("id"))).as(name + " skip id").matches("CKV2?_[A-Z0-9]+_[0-9]+");
                    assertThat(String.valueOf(map(skip).get("comment"))).as(name + " skip reason").hasSizeGreaterThan(20);
                }
            });
        }

        Map<String, Object> container() {
            List<Object> containers = list(properties("TaskDefinition").get("ContainerDefinitions"));
            assertThat(containers).hasSize(1);
            return map(containers.get(0));
        }

        Map<String, Object> containerEnvironment() {
            Map<String, Object> env = new LinkedHashMap<>();
            for (Object variable : list(container().get("Environment"))) {
                env.put(String.valueOf(map(variable).get("Name")), map(variable).get("Value"));
            }
            return env;
        }

        /** Dimensions of a metric or an alarm, as name → ref. */
        Map<String, String> dimensions(Map<String, Object> metric) {
            Map<String, String> dimensions = new TreeMap<>();
            for (Object dimension : list(metric.get("Dimensions"))) {
                dimensions.put(String.valueOf(map(dimension).get("Name")), ref(map(dimension).get("Value")));
            }
            return dimensions;
        }

        void grant(Map<String, Set<String>> grants, String resource, String... actions) {
            for (String action : actions) {
                grants.computeIfAbsent(action, a -> new TreeSet<>()).add(resource);
            }
        }

        List<Map<String, Object>> roleStatements(String role) {
            Map<String, Object> roles = resourcesOfType("AWS::IAM::Role");
            assertThat(roles).containsOnlyKeys("AppRole", "ExecutionRole");
            assertThat(resourcesOfType("AWS::IAM::Policy")).isEmpty();
            assertThat(resourcesOfType("AWS::IAM::ManagedPolicy")).isEmpty();
            assertThat(properties(role)).doesNotContainKeys("ManagedPolicyArns", "PermissionsBoundary");
            List<Map<String, Object>> statements = new ArrayList<>();
            for (Object policy : list(properties(role).get("Policies"))) {
                list(map(map(policy).get("PolicyDocument")).get("Statement")).forEach(s -> statements.add(map(s)));
            }
            assertThat(statements).isNotEmpty();
            return statements;
        }

        Map<String, Object> resourcesOfType(String type) {
            Map<String, Object> found = new LinkedHashMap<>();
            resources.forEach((name, resource) -> {
                if (type.equals(map(resource).get("Type"))) {
                    found.put(name, resource);
                }
            });
            return found;
        }

        Map<String, Object> resource(String name) {
            assertThat(resources).containsKey(name);
            return map(resources.get(name));
        }

        Map<String, Object> properties(String name) {
            return map(resource(name).get("Properties"));
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /**
     * The application.properties key an environment variable binds to under Spring's relaxed binding
     * (dots → underscores, dashes removed or → underscores, upper case), or null when none does.
     */
    static String propertyFor(String variable) {
        for (String key : appProperties.stringPropertyNames()) {
            String base = key.toUpperCase().replace('.', '_');
            if (variable.equals(base.replace("-", "")) || variable.equals(base.replace('-', '_'))) {
                return key;
            }
        }
        return null;
    }

    /**
     * Whether the app reads an environment variable: it binds to a key of application.properties, or
     * application.properties uses it as a placeholder (spring.security.user.name=${DIGIADS_ADMIN_USER:admin}).
     */
    static boolean bindsToTheApp(String variable) {
        return propertyFor(variable) != null
                || appProperties.values().stream().anyMatch(value -> String.valueOf(value).contains("${" + variable + ":")
                        || String.valueOf(value).contains("${" + variable + "}"));
    }

    /** Every "checkov:skip=ID" comment of a file gives a reason after the id. */
    static void assertInlineSkipsHaveReasons(Path file) {
        read(file).lines().map(INLINE_SKIP::matcher).filter(Matcher::find).forEach(skip -> assertThat(skip.group(2))
                .as(file.getFileName() + " checkov:skip=" + skip.group(1)).matches(":\\s*\\S.{10,}"));
    }

    /** Dockerfile stages by name (FROM ... AS name); an unnamed stage by its position. */
    static Map<String, List<Instruction>> stages(List<Instruction> instructions) {
        Map<String, List<Instruction>> stages = new LinkedHashMap<>();
        List<Instruction> current = null;
        for (Instruction instruction : instructions) {
            if (instruction.is("FROM")) {
                String[] words = instruction.args().split("\\s+");
                String name = words.length >= 3 && words[words.length - 2].equalsIgnoreCase("AS")
                        ? words[words.length - 1] : String.valueOf(stages.size());
                current = new ArrayList<>();
                stages.put(name, current);
            }
            if (current != null) {
                current.add(instruction);
            }
        }
        return stages;
    }

    /** A CloudFormation value in a comparable form: Ref → name, GetAtt → Name.Attr, Sub → its string. */
    static String ref(Object value) {
        if (value instanceof Map<?, ?> function && function.size() == 1) {
            var entry = function.entrySet().iterator().next();
            Object argument = entry.getValue();
            switch (String.valueOf(entry.getKey())) {
                case "Ref":
                    return String.valueOf(argument);
                case "Fn::GetAtt":
                    return argument instanceof List<?> parts
                            ? parts.stream().map(String::valueOf).collect(Collectors.joining("."))
                            : String.valueOf(argument);
                case "Fn::Sub":
                    return argument instanceof List<?> parts ? String.valueOf(parts.get(0)) : String.valueOf(argument);
                default:
                    return String.valueOf(value);
            }
        }
        return String.valueOf(value);
    }

    record Instruction(String keyword, String args) {
        boolean is(String other) {
            return keyword.equalsIgnoreCase(other);
        }
    }

    /** Dockerfile instructions, continuation lines joined, comments and parser directives dropped. */
    static List<Instruction> dockerfile(Path file) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : read(file).lines().toList()) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            current.append(stripped);
            String text = current.toString().strip();
            current.setLength(0);
            if (!text.isEmpty()) {
                String[] parts = text.split("\\s+", 2);
                instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].strip() : ""));
            }
        }
        return instructions;
    }

    static Map<String, String> environment(Map<String, Object> service) {
        Object environment = service.get("environment");
        Map<String, String> env = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> values) {
            values.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (environment instanceof List<?> entries) {
            for (Object entry : entries) {
                String[] kv = String.valueOf(entry).split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return env;
    }

    static Map<String, String> pomProperties(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(pom.toFile());
        Map<String, String> properties = new LinkedHashMap<>();
        var lists = document.getDocumentElement().getChildNodes();
        for (int i = 0; i < lists.getLength(); i++) {
            Node node = lists.item(i);
            if ("properties".equals(node.getNodeName())) {
                var children = node.getChildNodes();
                for (int j = 0; j < children.getLength(); j++) {
                    Node property = children.item(j);
                    if (property.getNodeType() == Node.ELEMENT_NODE) {
                        properties.put(property.getNodeName(), property.getTextContent().strip());
                    }
                }
            }
        }
        return properties;
    }

    static Map<String, Object> yaml(Path file) {
        try (Reader in = Files.newBufferedReader(file)) {
            return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        assertThat(value).as("a YAML mapping").isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        assertThat(value).as("a YAML sequence").isInstanceOf(List.class);
        return (List<Object>) value;
    }

    static List<Object> asList(Object value) {
        return value instanceof List<?> ? list(value) : List.of(value);
    }

    /** A scalar or a sequence of scalars as strings (compose accepts both for command, ports, ...). */
    static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        return asList(value).stream().map(String::valueOf).toList();
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("docker")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root (pom.xml and docker/) above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
