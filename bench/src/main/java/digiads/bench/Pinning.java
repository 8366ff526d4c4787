package digiads.bench;

import java.io.IOException;
import java.util.*;

/**
 * CPU pinning with taskset, from {@code BENCH_PIN}: empty pins nothing; {@code 1} is app on core 1, emulators and the
 * load generator on core 0; or each group's cores, e.g. {@code app:1,emulators:0,bench:0-1}.
 */
record Pinning(Map<String, String> cores) {

    static final Pinning OFF = new Pinning(Map.of());

    static Pinning of(String spec) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : (spec.equals("1") ? "app:1,emulators:0,bench:0" : spec.equals("0") ? "" : spec).split(",")) {
            String[] kv = part.trim().split(":");
            if (part.isBlank()) {
                continue;
            }
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

    /** The command, prefixed with taskset when the process's group (the app's forms, or the emulators) is pinned. */
    List<String> wrap(String processName, List<String> command) {
        String c = cores.get(List.of("app", "training", "extract").contains(processName) ? "app" : "emulators");
        List<String> out = new ArrayList<>(c == null ? List.of() : List.of("taskset", "-c", c));
        out.addAll(command);
        return out;
    }

    /** Pins this JVM (every thread) to the load generator's cores. */
    void pinSelf() {
        if (cores.containsKey("bench")) {
            taskset(ProcessHandle.current().pid(), cores.get("bench"));
        }
    }

    /** Pins a running process, every thread, to the cores. */
    static void taskset(long pid, String cores) {
        try {
            if (new ProcessBuilder("taskset", "-a", "-p", "-c", cores, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() != 0) {
                throw new IllegalStateException("taskset could not pin " + pid + " to cores " + cores);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String describe() {
        List<String> parts = new ArrayList<>();
        cores.forEach((k, v) -> parts.add(k + " on core(s) " + v));
        return on() ? String.join(", ", parts) + " (taskset)" : "none";
    }
}
