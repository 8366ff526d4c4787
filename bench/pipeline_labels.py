"""The pipeline's images/s with the real model behind DetectLabels, beside moto's constant labels.

bench/run.sh pipeline-labels -> docs/bench-labeler.md (its second table). Starts the local run twice
(./mvnw spring-boot:test-run: moto, the labeler, the Rekognition stand-in, the Deals stand-in, the issuer, the
app), once as it is (DetectLabels answered by the model) and once with the app's Rekognition endpoint on a
WireMock stand-in that passes DetectLabels to moto (its constant labels; DetectModerationLabels from the same
mappings). Each time it puts IMAGES photos into the bucket at once (the test photos in turn, each under a key
of its own) and waits until GET metadata answers for every one: images/s from the first put to the last
readable, and put -> readable p50 and p99.

Usage: .venv-moto/bin/python bench/pipeline_labels.py [IMAGES]
"""
import glob
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import boto3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PHOTOS = sorted(glob.glob(os.path.join(ROOT, "src", "test", "resources", "photos", "*.jpg")))
REPORT = os.path.join(ROOT, "docs", "bench-labeler.md")
STAND_IN_PORT = 4569
MARK = "<!-- pipeline -->"


def http(url, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:
        return None, b""


def wait_for(what, check, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise RuntimeError(f"{what} not within {seconds} s")


def run(images, constant):
    env = dict(os.environ)
    arguments = ["./mvnw", "-q", "-o", "spring-boot:test-run"]
    stand_in = None
    if constant:
        jar = glob.glob(os.path.expanduser("~/.m2/repository/org/wiremock/wiremock-standalone/*/*.jar"))[0]
        stand_in = subprocess.Popen(["java", "-Xmx128m", "-jar", jar, "--port", str(STAND_IN_PORT), "--bind-address",
                                     "127.0.0.1", "--root-dir", "src/test/resources/rekognition", "--proxy-all",
                                     "http://127.0.0.1:4566", "--no-request-journal", "--disable-banner"],
                                    cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        arguments.append(f"-Dspring-boot.run.arguments=--digiads.aws.rekognition-endpoint-override="
                         f"http://127.0.0.1:{STAND_IN_PORT}")
    log = open(os.path.join(ROOT, "target", f"pipeline-labels-{'constant' if constant else 'model'}.log"), "w")
    app = subprocess.Popen(arguments, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for("the local run", lambda: b"digiads is up" in open(log.name, "rb").read(), 300)
        status, body = http("http://localhost:9000/oauth2/token", b"grant_type=client_credentials",
                            {"Authorization": "Basic ZGlnaWFkcy1kZXY6ZGlnaWFkcy1kZXYtc2VjcmV0"})
        token = json.loads(body)["access_token"]
        s3 = boto3.client("s3", endpoint_url="http://127.0.0.1:4566", region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
        photos = [open(p, "rb").read() for p in PHOTOS]
        keys = [f"bench-{i:04d}.jpg" for i in range(images)]
        put_at, readable_at, labels = {}, {}, {}

        def put(i):
            put_at[keys[i]] = time.monotonic()
            s3.put_object(Bucket="digiads-images", Key="images/" + keys[i], Body=photos[i % len(photos)],
                          ContentType="image/jpeg")

        def readable(key):
            while True:
                status, body = http(f"http://localhost:8080/api/images/{urllib.parse.quote(key)}/metadata",
                                    headers={"Authorization": "Bearer " + token})
                if status == 200:
                    readable_at[key] = time.monotonic()
                    labels[key] = [l["name"] for l in json.loads(body)["labels"]]
                    return
                if time.monotonic() - put_at.get(key, time.monotonic()) > 120:
                    raise RuntimeError(f"{key} not readable in 120 s")
                time.sleep(0.05)

        with ThreadPoolExecutor(16) as pool:
            list(pool.map(put, range(images)))
            list(pool.map(readable, keys))
        start, end = min(put_at.values()), max(readable_at.values())
        latencies = sorted((readable_at[k] - put_at[k]) * 1000 for k in keys)
        some = labels[keys[0]]
        return {"images_per_s": images / (end - start), "p50": latencies[len(latencies) // 2],
                "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], "labels": some}
    finally:
        os.killpg(app.pid, 15)
        app.wait(60)
        if stand_in:
            stand_in.terminate()
            stand_in.wait(10)


def main(images):
    model = run(images, constant=False)
    constant = run(images, constant=True)
    lines = [MARK, "", "## The pipeline with the model and with moto's constant labels", "",
             f"`bench/run.sh pipeline-labels`: the local run, {images} photos put into the bucket at once, until",
             "GET metadata answers for every one. The app paces DetectLabels at `digiads.rekognition.tps` (20).", "",
             "| DetectLabels | images/s | put → readable p50 ms | p99 ms | labels of the first photo |",
             "|---|---|---|---|---|"]
    for name, r in (("the model (labeler)", model), ("moto's constant", constant)):
        lines.append(f"| {name} | {r['images_per_s']:.1f} | {r['p50']:.0f} | {r['p99']:.0f} | "
                     f"{', '.join(r['labels'])} |")
    report = open(REPORT, encoding="utf-8").read().split(MARK)[0].rstrip("\n")
    with open(REPORT, "w", encoding="utf-8") as out:
        out.write(report + "\n\n" + "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
