package digiads.bench;

import java.io.*;
import java.nio.file.*;
import java.util.*;

/**
 * The app's JVM flags as its container runs it: {@code @docker/jvm.options} and {@code -XX:MaxRAM} = the app service's
 * {@code mem_limit} in docker/compose.yaml; every start of the app and the AOT cache's training run use them.
 */
record AppJvm(Path optionsFile, List<String> options, String maxRam) {

    static AppJvm of(Path repo) {
        Path file = repo.resolve("docker/jvm.options");
        try {
            List<String> options = Files.readAllLines(file).stream().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            return new AppJvm(file, options, memLimit(Files.readAllLines(repo.resolve("docker/compose.yaml")), "app"));
        } catch (IOException e) {
            throw new UncheckedIOException("the app's JVM settings: " + e.getMessage(), e);
        }
    }

    /** The {@code mem_limit} of a service of a compose file (e.g. "512m"). */
    static String memLimit(List<String> compose, String service) {
        boolean inServices = false;
        boolean inService = false;
        for (String line : compose) {
            if (line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            if (indent == 0) {
                inServices = line.startsWith("services:");
                inService = false;
            } else if (inServices && indent == 2) {
                inService = line.trim().equals(service + ":");
            } else if (inService && line.trim().startsWith("mem_limit:")) {
                return line.trim().substring("mem_limit:".length()).trim().replace("\"", "").replace("'", "");
            }
        }
        throw new IllegalStateException("no mem_limit for the service " + service + " in docker/compose.yaml");
    }

    /** The java arguments: the argument file, then MaxRAM. */
    List<String> args() {
        List<String> args = new ArrayList<>();
        args.add("@" + optionsFile);
        args.add("-XX:MaxRAM=" + maxRam);
        return args;
    }

    /** The flags in effect, for the reports: the file's lines and MaxRAM. */
    String describe() {
        List<String> all = new ArrayList<>(options);
        all.add("-XX:MaxRAM=" + maxRam);
        return String.join(" ", all) + " (`@docker/jvm.options` and the app service's `mem_limit` of docker/compose.yaml)";
    }
}
