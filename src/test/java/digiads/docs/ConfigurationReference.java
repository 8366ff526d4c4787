package digiads.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes docs/configuration.md: every property of the app, from the configuration metadata its build writes
 * ({@code target/classes/META-INF/spring-configuration-metadata.json}: the {@code @ConfigurationProperties}
 * records' Javadoc, and {@code additional-spring-configuration-metadata.json} for the properties read with
 * {@code @Value}), each with its default from {@code application.properties}; the {@code local} profile's
 * values; and the Spring Boot and Camel settings {@code application.properties} makes, described by their own
 * libraries' metadata. Run {@link #main} (or {@code ConfigurationDocTest} with {@code -Ddocs.write}) to write it.
 */
public final class ConfigurationReference {

    static final Path DOC = Path.of("docs/configuration.md");
    static final Path PROJECT_METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");
    static final Path ADDITIONAL_METADATA = Path.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");
    static final Path DEFAULTS = Path.of("src/main/resources/application.properties");
    static final Path LOCAL = Path.of("src/main/resources/application-local.properties");
    static final String REGENERATE = "./mvnw -q test -Dtest=ConfigurationDocTest -Ddocs.write";

    private static final int WIDTH = 120;
    /** A value longer than this goes into a code block of its own. */
    private static final int LONG_VALUE = 60;
    private static final Pattern PACKAGE = Pattern.compile("\\b(?:[a-z]\\w*\\.)+(?=[A-Z])");
    private static final Pattern JAVADOC_TAG = Pattern.compile("\\{@(?:code|link|linkplain|literal) ([^{}]*(?:\\{[^{}]*}[^{}]*)*)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A property as the metadata describes it. */
    record Property(String name, String type, String description, String defaultValue) {
    }

    private final Map<String, Property> project;
    private final Map<String, Property> libraries;
    private final Map<String, String> defaults;
    private final Map<String, String> local;

    ConfigurationReference(Map<String, Property> project, Map<String, Property> libraries, Map<String, String> defaults,
                           Map<String, String> local) {
        this.project = project;
        this.libraries = libraries;
        this.defaults = defaults;
        this.local = local;
    }

    /** The reference as this build's metadata and properties files say (run from the project's folder). */
    static ConfigurationReference now() throws IOException {
        if (!Files.exists(PROJECT_METADATA)) {
            throw new IllegalStateException(PROJECT_METADATA + " is missing: compile first (./mvnw compile)");
        }
        Map<String, Property> libraries = new LinkedHashMap<>();
        for (URL url : Collections.list(ConfigurationReference.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            if (!"file".equals(url.getProtocol())) {
                try (InputStream in = url.openStream()) {
                    properties(JSON.readTree(in)).forEach(libraries::putIfAbsent);
                }
            }
        }
        // The processor merges the additional metadata only when it compiles: read the source of it too, so that
        // an edit of it alone shows at once.
        Map<String, Property> project = properties(JSON.readTree(PROJECT_METADATA.toFile()));
        project.putAll(properties(JSON.readTree(ADDITIONAL_METADATA.toFile())));
        return new ConfigurationReference(project, libraries, read(DEFAULTS), read(LOCAL));
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(DOC, now().render());
        System.out.println("Wrote " + DOC.toAbsolutePath());
    }

    /** The properties set in application.properties that no metadata describes. */
    List<String> undescribed() {
        return defaults.keySet().stream().filter(key -> description(key).isBlank()).toList();
    }

    /** The digiads properties set in application.properties that the project's own metadata does not name. */
    List<String> notInProjectMetadata() {
        return defaults.keySet().stream().filter(key -> key.startsWith("digiads.") && !project.containsKey(key)).toList();
    }

    String render() {
        StringBuilder doc = new StringBuilder();
        doc.append("# Configuration\n\n");
        paragraph(doc, "Every setting of the app with its default and meaning, and what the `local` profile changes. "
                + "Generated from the build's configuration metadata: do not edit, regenerate.", "", "");
        doc.append('\n');
        paragraph(doc, "Every setting is a Spring property and can be given as an environment variable "
                + "(`digiads.aws.region` → `DIGIADS_AWS_REGION`). The defaults live in "
                + "[`application.properties`](../" + DEFAULTS + "), the meanings in the Javadoc of the "
                + "`@ConfigurationProperties` records (`DigiadsProperties`, `LiveProperties`, `PageProperties`) and, "
                + "for the properties read with `@Value`, in the [additional metadata](../"
                + ADDITIONAL_METADATA + "). After changing any of them, regenerate this page with `" + REGENERATE + "`.",
                "", "");
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(defaults.keySet());
        project.keySet().stream().filter(k -> !defaults.containsKey(k)).sorted().forEach(keys::add);
        for (String key : keys) {
            groups.computeIfAbsent(group(key), g -> new ArrayList<>()).add(key);
        }
        groups.put(FRAMEWORK, groups.remove(FRAMEWORK)); // the app's own settings first
        groups.forEach((group, members) -> {
            doc.append("\n## ").append(group.equals(FRAMEWORK) ? FRAMEWORK : "`" + group + "`").append("\n\n");
            if (group.equals(FRAMEWORK)) {
                paragraph(doc, "What `application.properties` sets of Spring Boot's, Camel's and Hawtio's own "
                        + "settings (the descriptions are their libraries', unless the app says more).", "", "");
                doc.append('\n');
            }
            members.forEach(key -> item(doc, key));
        });
        doc.append("\n## The `local` profile\n\n");
        paragraph(doc, "[`application-local.properties`](../" + LOCAL + ") points the app at the emulator and the "
                + "stand-ins the run command and the tests start (see [the two commands](../README.md#the-two-commands)):",
                "", "");
        doc.append('\n');
        local.forEach((key, value) -> value(doc, "- `" + key + "`", value, ""));
        return doc.toString();
    }

    private static final String FRAMEWORK = "Spring Boot, Camel and Hawtio";

    private static String group(String key) {
        if (!key.startsWith("digiads.")) {
            return FRAMEWORK;
        }
        String[] parts = key.split("\\.");
        return parts.length > 2 ? parts[0] + "." + parts[1] : parts[0];
    }

    private void item(StringBuilder doc, String key) {
        Property property = project.getOrDefault(key, libraries.get(key));
        String type = property == null || property.type() == null ? null
                : PACKAGE.matcher(property.type()).replaceAll("").replace('$', '.');
        String description = description(key);
        String head = "- `" + key + "`" + (type == null ? "" : " (`" + type + "`)");
        String value = defaults.containsKey(key) ? defaults.get(key)
                : property == null ? null : property.defaultValue();
        if (value == null) {
            paragraph(doc, head + ", no default: " + description, "", "  ");
        } else if (value.isEmpty()) {
            paragraph(doc, head + ", empty by default: " + description, "", "  ");
        } else if (value.length() > LONG_VALUE || value.contains("`")) {
            paragraph(doc, head + ": " + description + " Default:", "", "  ");
            code(doc, value, "  ");
        } else {
            paragraph(doc, head + ", default `" + value + "`: " + description, "", "  ");
        }
    }

    private static void value(StringBuilder doc, String head, String value, String indent) {
        if (value.length() > LONG_VALUE || value.contains("`")) {
            paragraph(doc, head + ":", indent, indent + "  ");
            code(doc, value, indent + "  ");
        } else {
            paragraph(doc, head + " = " + (value.isEmpty() ? "empty" : "`" + value + "`"), indent, indent + "  ");
        }
    }

    private String description(String key) {
        Property property = project.get(key);
        if (property == null || property.description() == null || property.description().isBlank()) {
            property = libraries.containsKey(key) ? libraries.get(key) : mapEntryOf(key);
        }
        if (property == null || property.description() == null) {
            return "";
        }
        String plain = property.description().replaceAll("(?i)</?(?:p|br|ul|ol|li|b|i|em|strong|pre|tt)\\s*/?>", " ").strip().replaceAll("\\s+", " ");
        String text = JAVADOC_TAG.matcher(plain)
                .replaceAll(m -> "`" + m.group(1).replace("\\", "\\\\").replace("$", "\\$") + "`");
        text = Character.toUpperCase(text.charAt(0)) + text.substring(1);
        return text.endsWith(".") ? text : text + ".";
    }

    /** The map property a key is an entry of ({@code spring.jackson.serialization.x} of {@code spring.jackson.serialization}). */
    private Property mapEntryOf(String key) {
        for (String prefix = key; prefix.contains("."); prefix = prefix.substring(0, prefix.lastIndexOf('.'))) {
            Property property = libraries.get(prefix);
            if (property != null && property.type() != null && property.type().startsWith("java.util.Map<")) {
                return property;
            }
        }
        return null;
    }

    private static void code(StringBuilder doc, String value, String indent) {
        doc.append(indent).append("```\n").append(indent).append(value).append('\n').append(indent).append("```\n");
    }

    /** Appends text wrapped at {@value #WIDTH} characters; no continuation line starts like a block of its own. */
    static void paragraph(StringBuilder doc, String text, String first, String rest) {
        StringBuilder line = new StringBuilder(first);
        boolean empty = true;
        for (String word : text.split(" ")) {
            if (!empty && line.length() + 1 + word.length() > WIDTH) {
                int lastSpace = line.lastIndexOf(" ");
                if (!startsABlock(word)) {
                    doc.append(line).append('\n');
                    line = new StringBuilder(rest).append(word);
                    continue;
                }
                if (lastSpace > rest.length()) { // the word before goes down with it
                    String previous = line.substring(lastSpace + 1);
                    doc.append(line, 0, lastSpace).append('\n');
                    line = new StringBuilder(rest).append(previous).append(' ').append(word);
                    continue;
                }
            }
            line.append(empty ? "" : " ").append(word);
            empty = false;
        }
        doc.append(line).append('\n');
    }

    private static boolean startsABlock(String word) {
        return word.matches("[-+*]|#+|>.*|=+|-+|\\d+[.)]");
    }

    private static Map<String, Property> properties(JsonNode metadata) {
        Map<String, Property> properties = new LinkedHashMap<>();
        for (JsonNode p : metadata.path("properties")) {
            properties.putIfAbsent(p.path("name").asText(), new Property(p.path("name").asText(),
                    p.hasNonNull("type") ? p.get("type").asText() : null,
                    p.hasNonNull("description") ? p.get("description").asText() : null,
                    p.hasNonNull("defaultValue") && p.get("defaultValue").isValueNode()
                            ? p.get("defaultValue").asText() : null));
        }
        return properties;
    }

    /** A properties file's keys in their order, with their values as Spring reads them. */
    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> ordered = new LinkedHashMap<>();
        Properties properties = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                ordered.put((String) key, (String) value);
                return super.put(key, value);
            }
        };
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ordered;
    }
}
