package digiads.bench;

import java.util.*;
import java.util.function.Supplier;

/**
 * CPU used by each of the suite's processes (and by everything else on the machine) over a window, and
 * the share of the app's that its JIT compiler threads used ({@link #APP_JIT}, part of "app", not
 * added again).
 */
final class Cpu {

    static final double CLK_TCK = 100.0;

    /** The app's JIT compiler threads: a part of the app's CPU, kept apart because it is warm-up, not requests. */
    static final String APP_JIT = "app.jit";

    /** The processes to account for, by name; the benchmark JVM itself is "bench". */
    static volatile Supplier<Map<String, Long>> pids = () -> Map.of("bench", ProcessHandle.current().pid());

    record Snapshot(long nanos, Map<String, Long> ticks, long machineBusy, long machineTotal) {
    }

    /** Cores used (1.0 = one core busy all the time) per process, "other" for the rest of the machine. */
    record Usage(Map<String, Double> cores, double machineCores, double seconds) {

        double of(String name) {
            return cores.getOrDefault(name, 0.0);
        }

        String describe() {
            StringBuilder sb = new StringBuilder();
            cores.forEach((k, v) -> {
                if (k.equals(APP_JIT)) {
                    sb.append(" (JIT ").append(Math.round(v * 100)).append("%)");
                } else {
                    sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(Math.round(v * 100)).append('%');
                }
            });
            return sb + " (machine " + Math.round(machineCores * 100) + "% of one core)";
        }
    }

    static Snapshot take() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids.get().forEach((name, pid) -> {
            ticks.put(name, Proc.cpuTicks(pid));
            if (name.equals("app")) {
                ticks.put(APP_JIT, Proc.jitTicks(pid));
            }
        });
        long[] m = Proc.machineTicks();
        return new Snapshot(System.nanoTime(), ticks, m[0], m[1]);
    }

    static Usage between(Snapshot a, Snapshot b) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        double named = 0;
        for (var e : b.ticks().entrySet()) {
            Long before = a.ticks().get(e.getKey());
            if (before == null || before < 0 || e.getValue() < 0) {
                continue;
            }
            double c = (e.getValue() - before) / CLK_TCK / seconds;
            cores.put(e.getKey(), c);
            if (!e.getKey().equals(APP_JIT)) {
                named += c;
            }
        }
        double machine = (b.machineBusy() - a.machineBusy()) / CLK_TCK / seconds;
        cores.put("other", Math.max(0, machine - named));
        return new Usage(cores, machine, seconds);
    }
}
