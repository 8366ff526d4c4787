"""The container within its limits: `--memory 512m --cpus 1` (podman), 32 clients reading getMetadata and
getDigiAds in a closed loop for LOAD_SECONDS (60) after 50 images are labeled. Reported: start to ready
with and without the image's AOT cache (the same image, -XX:AOTMode=off through JDK_JAVA_OPTIONS), the
JVM's heap ceiling (jvm_memory_max_bytes of the heap), the java process's RSS (sampled each 0.5 s from
the host's /proc) and its peak, the cgroup's memory use; the run passes when there is no OOM kill, no
exit, and every request answers 200.

  run.sh container-limits
"""
import base64
import concurrent.futures
import itertools
import os
import sys
import threading
import time
import urllib.request

from harness import (PASSWORD, ContainerApp, DealsStandIn, Issuer, Moto, build_image, log, put_images, report,
                     stop_all, stored_items, wait_until)

LIMITS = ("--memory", "512m", "--cpus", "1")
CLIENTS, SECONDS = 32, int(os.environ.get("LOAD_SECONDS", "60"))


def rss_kb(pid):
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS", "VmHWM")):
                key, value = line.split(":")
                values[key] = int(value.split()[0])
    return values


def main():
    build_image()
    moto = Moto()
    issuer = deals = app = cold = None
    try:
        issuer, deals = Issuer(), DealsStandIn()
        env = [f"DIGIADS_DEALS_BASE_URL={deals.url}", "DIGIADS_DEALS_LINK_SCHEMES=https,http"]
        # start to ready without the AOT cache, then with it (the image's own form), same limits
        cold = ContainerApp(moto, issuer, "limits-no-aot", limits=LIMITS, env=env + ["JDK_JAVA_OPTIONS=-XX:AOTMode=off"])
        cold.start()
        no_aot = cold.ready_seconds
        cold.stop()
        app = ContainerApp(moto, issuer, "limits", limits=LIMITS, env=env).start()
        ids = list(put_images(moto, 50, "limits"))
        wait_until("50 images labeled", lambda: len(stored_items(moto)) >= 50, 120, 0.5)
        token = issuer.token()
        pid = int(app.inspect("{{.State.Pid}}"))
        heap_max = app.metric("jvm_memory_max_bytes", where='area="heap"')
        samples, stop = [], threading.Event()

        def sample():
            while not stop.is_set():
                samples.append(rss_kb(pid))
                stop.wait(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        counts = {"ok": 0, "failed": 0}
        lock = threading.Lock()
        deadline = time.time() + SECONDS
        paths = itertools.cycle([f"/api/images/{i.replace('/', '%2F')}/{what}" for i in ids
                                 for what in ("metadata", "digiads")])

        def client(_):
            while time.time() < deadline:
                with lock:
                    path = next(paths)
                request = urllib.request.Request(f"http://127.0.0.1:{app.port}{path}",
                                                 headers={"Authorization": "Bearer " + token})
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        ok = response.status == 200
                        response.read()
                except Exception:
                    ok = False
                with lock:
                    counts["ok" if ok else "failed"] += 1

        log(f"{CLIENTS} clients for {SECONDS} s")
        with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(client, range(CLIENTS)))
        stop.set()
        sampler.join()
        heap_used = app.metric("jvm_memory_used_bytes", where='area="heap"')
        running = app.inspect("{{.State.Running}}") == "true"
        cgroup = app_memory(app)
        app.stop()
        peak = max(s.get("VmHWM", 0) for s in samples) / 1024
        largest = max(s.get("VmRSS", 0) for s in samples) / 1024
        mean = sum(s.get("VmRSS", 0) for s in samples) / len(samples) / 1024
        ok = running and not app.oom_killed and counts["failed"] == 0 and app.exit_code == 143
        return report("container-limits", [
            f"limits: {' '.join(LIMITS)}",
            f"start to ready: {app.ready_seconds:.1f} s with the AOT cache, {no_aot:.1f} s without",
            f"heap ceiling (jvm_memory_max_bytes, heap): {heap_max / 2**20:.0f} MiB; heap used at the end "
            f"{heap_used / 2**20:.0f} MiB",
            f"RSS under load: mean {mean:.0f} MiB, largest sample {largest:.0f} MiB, peak (VmHWM) {peak:.0f} MiB",
            f"cgroup memory at the end of the load: {cgroup}",
            f"requests: {counts['ok']} answered 200 ({counts['ok'] / SECONDS:.0f}/s), {counts['failed']} failed",
            f"still running after the load: {running}; OOM killed: {app.oom_killed}; exit after podman stop: "
            f"{app.exit_code}"], ok)
    finally:
        stop_all(app, cold, deals, issuer, moto)


def app_memory(app):
    """The container's memory use and limit as podman stats reports them."""
    from harness import podman
    return podman("stats", "--no-stream", "--format", "{{.MemUsage}}", app.container, check=False)


if __name__ == "__main__":
    sys.exit(main())
