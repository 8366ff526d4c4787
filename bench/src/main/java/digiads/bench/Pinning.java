package digiads.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU pinning of the suite's processes with {@code taskset} (util-linux), from {@code BENCH_PIN}: empty
 * (the default) pins nothing; {@code 1} puts the app on core 1 and the emulators (moto, both WireMocks,
 * the issuer) and the load generator on core 0; or the cores of each group, e.g.
 * {@code app:1,emulators:0,bench:0-1}. A process started by the suite gets its group's cores
 * ({@code taskset -c <cores> <command>}); the load generator (this JVM) pins itself.
 */
record Pinning(Map<String, String> cores) {

    static final Pinning OFF = new Pinning(Map.of());

    static Pinning of(String spec) {
        if (spec.isBlank() || spec.equals("0")) {
            return OFF;
        }
        if (spec.equals("1")) {
            spec = "app:1,emulators:0,bench:0";
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split(":");
            if (kv.length != 2 || !List.of("app", "emulators", "bench").contains(kv[0])) {
                throw new IllegalArgumentException("BENCH_PIN: expected app:<cores>,emulators:<cores>,bench:<cores>, got "
                        + spec);
            }
            m.put(kv[0], kv[1]);
        }
        return new Pinning(m);
    }

    boolean on() {
        return !cores.isEmpty();
    }

    /** The group of a process the suite starts, by its name. */
    static String group(String processName) {
        return switch (processName) {
            case "app", "training", "extract" -> "app";
            default -> "emulators";
        };
    }

    /** The command, prefixed with taskset when the process's group is pinned. */
    List<String> wrap(String processName, List<String> command) {
        String c = cores.get(group(processName));
        if (c == null) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("taskset", "-c", c));
        out.addAll(command);
        return out;
    }

    /** Pins this JVM (every thread) to the load generator's cores. */
    void pinSelf() {
        String c = cores.get("bench");
        if (c == null) {
            return;
        }
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", c, Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("taskset could not pin the load generator to cores " + c);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String describe() {
        if (!on()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        cores.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" on core(s) ").append(v));
        return sb + " (taskset)";
    }
}
