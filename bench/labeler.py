"""The local labeler's latency per image on one core: bench/run.sh labeler -> docs/bench-labeler.md.

Starts src/test/labeler/labeler.py pinned to one core (taskset), sends it DetectLabels requests (AWS JSON
1.1, the image as Bytes) one at a time from the other core, and reports p50/p99 per photo and over all,
measured at the client (request sent to answer read: decode, resize, the model, the labels, HTTP), and
the labeler's CPU per image (its process's CPU time over the timed requests).

Usage: bench/run.sh labeler, or .venv-moto/bin/python bench/labeler.py [REQUESTS_PER_PHOTO]
"""
import base64
import datetime
import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PHOTOS = os.path.join(ROOT, "src", "test", "resources", "photos")
LABELER = os.path.join(ROOT, "src", "test", "labeler")
VENV = os.path.join(ROOT, ".venv-moto")
MODEL = os.path.join(VENV, "labeler", "efficientnet-lite0.onnx")
REPORT = os.path.join(ROOT, "docs", "bench-labeler.md")
WARM_UP = 20
PIPELINE_MARK = "<!-- pipeline -->"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def process_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(requests_per_photo):
    port = free_port()
    cores = os.sched_getaffinity(0)
    labeler_core, client_core = (sorted(cores)[0], sorted(cores)[-1])
    server = subprocess.Popen(["taskset", "-c", str(labeler_core), os.path.join(VENV, "bin", "python"),
                               os.path.join(LABELER, "labeler.py"), "--port", str(port), "--s3", "http://127.0.0.1:1",
                               "--model", MODEL, "--taxonomy", os.path.join(LABELER, "imagenet-taxonomy.json")],
                              env=dict(os.environ, OMP_NUM_THREADS="1"), stdout=subprocess.DEVNULL)
    os.sched_setaffinity(0, {client_core})
    try:
        deadline = time.time() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", "/health")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        photos = sorted(p for p in os.listdir(PHOTOS) if p.endswith((".png", ".jpg")))
        bodies = {p: json.dumps({"Image": {"Bytes": base64.b64encode(open(os.path.join(PHOTOS, p), "rb").read())
                                           .decode()}, "MaxLabels": 10, "MinConfidence": 70}) for p in photos}
        headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "RekognitionService.DetectLabels"}

        def call(photo):
            started = time.perf_counter()
            connection.request("POST", "/", bodies[photo], headers)
            response = connection.getresponse()
            answer = json.loads(response.read())
            if response.status != 200:
                raise RuntimeError(f"{photo}: {response.status} {answer}")
            return (time.perf_counter() - started) * 1000, answer

        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in range(WARM_UP):
            call(photos[i % len(photos)])
        latencies, tops = {p: [] for p in photos}, {}
        cpu_before = process_cpu(server.pid)
        for _ in range(requests_per_photo):
            for photo in photos:
                ms, answer = call(photo)
                latencies[photo].append(ms)
                tops[photo] = ", ".join(f"{l['Name']} {l['Confidence']:.0f}" for l in answer["Labels"][:3])
        cpu_ms = (process_cpu(server.pid) - cpu_before) * 1000 / (requests_per_photo * len(photos))
    finally:
        server.terminate()
        server.wait(10)
    everything = [ms for values in latencies.values() for ms in values]
    lines = [
        "# Benchmark: the local labeler's latency per image",
        "",
        "DetectLabels answered by the real model (EfficientNet-Lite0) on one core, one request at a time.",
        f"Written by `bench/run.sh labeler` on {datetime.date.today()}: {platform.machine()}, {os.cpu_count()} cores;",
        f"the labeler pinned to core {labeler_core}, the client to core {client_core}.",
        "",
        f"{requests_per_photo} timed requests per photo after {WARM_UP} to warm up, the image as Bytes, MaxLabels 10,",
        "MinConfidence 70 (the app's settings). Latency is the client's: request sent to answer read.",
        "",
        "| photo | size | p50 ms | p99 ms | top labels |",
        "|---|---|---|---|---|",
    ]
    for photo in photos:
        size = os.path.getsize(os.path.join(PHOTOS, photo)) // 1024
        lines.append(f"| {photo} | {size} KB | {percentile(latencies[photo], 50):.1f} | "
                     f"{percentile(latencies[photo], 99):.1f} | {tops[photo]} |")
    lines += [
        f"| **all** | | **{percentile(everything, 50):.1f}** | **{percentile(everything, 99):.1f}** | |",
        "",
        f"The labeler's CPU per image: {cpu_ms:.1f} ms (its process's CPU time over the timed requests).",
        "Target: p50 at most 50 ms on one core.",
        "",
    ]
    # the pipeline's table (bench/pipeline_labels.py) below its mark stays
    rest = open(REPORT, encoding="utf-8").read().split(PIPELINE_MARK, 1) if os.path.exists(REPORT) else []
    with open(REPORT, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + ("\n" + PIPELINE_MARK + rest[1] if len(rest) == 2 else ""))
    print("\n".join(lines))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
