"""Shared pieces of the reliability proofs: moto (with the Rekognition stand-in that adds
DetectModerationLabels), the provisioned resources, the local OAuth2 issuer
of the API's tokens, app instances as real processes (the production jar, started and killed like in
production, with the settings production needs: the token issuer, an operator password, actuator on a
management port of its own), images, and the check that the metadata in DynamoDB matches the bucket
exactly.

Runs with the moto venv's Python (it has boto3): see run.sh.
"""
import base64
import concurrent.futures
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "reliability"
JAR = next((ROOT / "target").glob("digiads-*.jar"), None) if (ROOT / "target").exists() else None
ACCOUNT = "123456789012"
# The resources docker/provision/provision.py creates: those of infra/resources.json, by their default names.
DEFINITION = json.loads((ROOT / "infra" / "resources.json").read_text(encoding="utf-8"))
BUCKET, PREFIX, TABLE = DEFINITION["bucket"]["name"], DEFINITION["bucket"]["keyPrefix"], DEFINITION["table"]["name"]
QUEUES = [q["name"] for q in DEFINITION["queues"].values()]
DLQS = [q["deadLetterQueue"]["name"] for q in DEFINITION["queues"].values()]
PASSWORD = uuid.uuid4().hex

# A real 8x8 JPEG; each image gets a unique comment so that every object has content of its own.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0"
    "Hyc5PTgyPC4zNDL/wAALCAAIAAgBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACP/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8A"
    "VN//2Q==")


def jpeg(tag):
    comment = ("digiads " + tag).encode()
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return JPEG[:2] + segment + JPEG[2:]


def log(message):
    print(time.strftime("%H:%M:%S"), message, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, predicate, timeout, interval=0.5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    raise TimeoutError(f"{what}: not within {timeout} s")


class Moto:
    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        OUT.mkdir(parents=True, exist_ok=True)
        server = ROOT / ".venv-moto" / "bin" / "moto_server"
        self.process = subprocess.Popen([str(server), "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=open(OUT / "moto.log", "w"), stderr=subprocess.STDOUT)
        wait_until("moto", lambda: _get(self.endpoint + "/moto-api/") is not None, 60)
        env = dict(os.environ, DIGIADS_AWS_ENDPOINT_OVERRIDE=self.endpoint)
        subprocess.run([sys.executable, str(ROOT / "docker" / "provision" / "provision.py")], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        kw = dict(endpoint_url=self.endpoint, region_name="us-east-1", aws_access_key_id="test",
                  aws_secret_access_key="test")
        self.s3, self.sqs, self.ddb = (boto3.client(n, **kw) for n in ("s3", "sqs", "dynamodb"))

    def queue_url(self, name):
        return f"{self.endpoint}/{ACCOUNT}/{name}"

    @property
    def rekognition(self):
        """The Rekognition stand-in in front of this moto, started on first use (see RekognitionStandIn)."""
        if getattr(self, "_rekognition", None) is None:
            self._rekognition = RekognitionStandIn(self)
        return self._rekognition

    def stop(self):
        if getattr(self, "_rekognition", None) is not None:
            self._rekognition.stop()
        self.process.terminate()
        self.process.wait(10)


def test_classpath():
    """The test classes, the main classes and the test-scoped dependencies (run.sh writes the list)."""
    classpath_file = OUT / "test-classpath.txt"
    if not classpath_file.exists():
        raise SystemExit("no test classpath: run.sh writes it (mvn dependency:build-classpath)")
    return ":".join([str(ROOT / "target" / "test-classes"), str(ROOT / "target" / "classes"),
                     classpath_file.read_text().strip()])


# The Rekognition stand-in keeps its request journal when a proof counts the calls (container_stop.py).
JOURNAL = os.environ.get("REKOGNITION_JOURNAL") == "1"


class RekognitionStandIn:
    """The apps' Rekognition endpoint (digiads.aws.rekognition-endpoint-override): moto has no
    DetectModerationLabels, so WireMock (from the test classpath) answers it from the mappings the tests
    and compose use (src/test/resources/rekognition: nothing found for these proofs' keys) and passes
    everything else (DetectLabels) on to moto, as digiads.local.RekognitionStandIn does."""

    def __init__(self, moto):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            ["java", "-Xmx128m", "-cp", test_classpath(), "wiremock.Run", "--port", str(self.port),
             "--bind-address", "127.0.0.1", "--root-dir", str(ROOT / "src" / "test" / "resources" / "rekognition"),
             "--proxy-all", moto.endpoint, *([] if JOURNAL else ["--no-request-journal"]), "--disable-banner",
             "--container-threads", "64"],
            stdout=open(OUT / "rekognition.log", "w"), stderr=subprocess.STDOUT)
        wait_until("rekognition stand-in", lambda: _get(self.url + "/__admin/health") is not None, 60)
        log(f"rekognition stand-in up on {self.url} (pid {self.process.pid})")

    def delay(self, millis):
        """Every answer of the stand-in (DetectLabels passed on to moto, DetectModerationLabels) after this long:
        WireMock's global fixed delay."""
        request = urllib.request.Request(self.url + "/__admin/settings", method="POST",
                                         data=json.dumps({"fixedDelay": millis}).encode(),
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=10).read()

    def count(self, target):
        """How many requests with this X-Amz-Target the stand-in served (needs REKOGNITION_JOURNAL=1)."""
        request = urllib.request.Request(self.url + "/__admin/requests/count", method="POST", data=json.dumps(
            {"method": "POST", "headers": {"X-Amz-Target": {"equalTo": target}}}).encode())
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())["count"]

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


class DealsStandIn:
    """The Deals API stand-in (WireMock from the test classpath, the mappings of src/test/resources/deals),
    as digiads.local.DealsStandIn; for the proofs that read digiads (container_limits.py)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            ["java", "-Xmx128m", "-cp", test_classpath(), "wiremock.Run", "--port", str(self.port),
             "--bind-address", "127.0.0.1", "--root-dir", str(ROOT / "src" / "test" / "resources" / "deals"),
             "--global-response-templating", "--no-request-journal", "--disable-banner", "--container-threads", "64"],
            stdout=open(OUT / "deals.log", "w"), stderr=subprocess.STDOUT)
        wait_until("deals stand-in", lambda: _get(self.url + "/__admin/health") is not None, 60)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


class Issuer:
    """The local OAuth2 issuer (Spring Authorization Server, digiads.local.LocalIssuer in the test
    classes) as a process of its own: the app fetches its signing keys as it would Cognito's, and the
    proofs get their access tokens from it with client_credentials."""

    def __init__(self):
        classpath = test_classpath()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, SERVER_PORT=str(self.port), LOCAL_ISSUER_URL=self.url)
        self.process = subprocess.Popen(["java", "-Xmx128m", "-cp", classpath, "digiads.local.LocalIssuer"], env=env,
                                        stdout=open(OUT / "issuer.log", "w"), stderr=subprocess.STDOUT)
        wait_until("issuer", lambda: _get(self.url + "/oauth2/jwks") is not None, 60)
        log(f"issuer up on {self.url} (pid {self.process.pid})")

    def token(self, client="digiads-dev", secret="digiads-dev-secret"):
        """An access token by client_credentials (the developer client holds both scopes)."""
        request = urllib.request.Request(self.url + "/oauth2/token", data=b"grant_type=client_credentials",
                                         method="POST")
        request.add_header("Authorization", "Basic " + base64.b64encode(f"{client}:{secret}".encode()).decode())
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())["access_token"]

    def stop(self):
        self.process.terminate()
        self.process.wait(20)


class App:
    """One instance of the application, from (a private copy of) the production jar, so that a
    rebuild during a proof cannot pull the classes from under a running instance. The API is on
    `port`, actuator on `management_port`. Its AWS endpoint is moto's, with the Rekognition stand-in for
    Rekognition, or `endpoint` for both (a proxy in front of them)."""

    def __init__(self, moto, issuer, name, jar=None, heap="512m", extra_args=(), jvm_args=(), endpoint=None):
        source = Path(jar) if jar else JAR
        if source is None:
            raise SystemExit("no application jar: run ./mvnw -DskipTests package first (run.sh does)")
        self.jar = OUT / ("app.jar" if jar is None else f"app-{name}.jar")
        if not self.jar.exists() or self.jar.stat().st_mtime < source.stat().st_mtime:
            OUT.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, self.jar)
        self.moto, self.issuer, self.name, self.process = moto, issuer, name, None
        self.endpoint = endpoint
        self.port, self.management_port = free_port(), free_port()
        self.heap, self.extra_args, self.jvm_args = heap, list(extra_args), list(jvm_args)

    def start(self):
        args = ["java", f"-Xmx{self.heap}", *self.jvm_args, "-jar", str(self.jar),
                f"--server.port={self.port}",
                f"--management.server.port={self.management_port}",
                f"--digiads.security.issuer-uri={self.issuer.url}",
                f"--digiads.aws.endpoint-override={self.endpoint or self.moto.endpoint}",
                f"--digiads.aws.rekognition-endpoint-override={self.endpoint or self.moto.rekognition.url}",
                "--digiads.aws.access-key-id=test", "--digiads.aws.secret-access-key=test",
                f"--digiads.aws.account-id={ACCOUNT}",
                f"--digiads.sqs.base-url={self.endpoint or self.moto.endpoint}/{ACCOUNT}",
                "--digiads.sqs.wait-time-seconds=2", *self.extra_args]
        env = dict(os.environ, SPRING_SECURITY_USER_PASSWORD=PASSWORD)
        self.log = open(OUT / f"app-{self.name}.log", "a")
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        wait_until(f"app {self.name} ready", self._ready, 180)  # a 2-core machine under load needs 90 s at times
        log(f"app {self.name} up on port {self.port}, management {self.management_port} (pid {self.process.pid})")
        return self

    def _ready(self):
        if self.process.poll() is not None:
            raise SystemExit(f"app {self.name} exited with {self.process.returncode} while starting: see "
                             f"{OUT / ('app-' + self.name + '.log')}")
        return _get(f"http://127.0.0.1:{self.management_port}/actuator/health") is not None

    def kill9(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        log(f"app {self.name} killed with SIGKILL")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(40)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def prometheus(self, timeout=10):
        """The Prometheus scrape, as the operator (HTTP Basic)."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.management_port}/actuator/prometheus")
        token = base64.b64encode(f"admin:{PASSWORD}".encode()).decode()
        request.add_header("Authorization", "Basic " + token)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read().decode()

    def metric(self, name, text=None, where=""):
        """The sum of a Prometheus metric over all its series (whose labels contain `where`)."""
        text = self.prometheus() if text is None else text
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                   if (line.startswith(name + "{") and where in line) or (not where and line.startswith(name + " ")))


PODMAN = ROOT / "docker" / "podman" / "podman.sh"
IMAGE = os.environ.get("DIGIADS_IMAGE", "localhost/digiads:reliability")
# DIGIADS_IMAGE_BUILT=1: the proof runs IMAGE as it is (an image built before, e.g. of another revision)
IMAGE_BUILT = os.environ.get("DIGIADS_IMAGE_BUILT") == "1"


def podman(*args, check=True, timeout=120):
    """podman with the project's settings (docker/podman/podman.sh); its output as text."""
    done = subprocess.run([str(PODMAN), *args], capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise SystemExit(f"podman {' '.join(args[:2])} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout.strip()


def build_image():
    """docker/Dockerfile over the local bases (docker/local-base/build.sh), cached layers; run.sh calls it."""
    if IMAGE_BUILT:
        log(f"image {IMAGE} as built before (DIGIADS_IMAGE_BUILT=1)")
        return
    base_args = subprocess.run([str(ROOT / "docker" / "local-base" / "build.sh"), "--print"], capture_output=True,
                               text=True, check=True).stdout.split()
    subprocess.run([str(ROOT / "docker" / "local-base" / "build.sh")], check=True, stdout=subprocess.DEVNULL)
    started = time.time()
    with open(OUT / "image-build.log", "w") as out:
        subprocess.run([str(PODMAN), "build", "--network=host", "--format", "docker", "-f", "docker/Dockerfile",
                        *base_args, "-t", IMAGE, "."], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=True)
    log(f"image {IMAGE} built in {time.time() - started:.0f} s")


class ContainerApp(App):
    """The app as the image of docker/Dockerfile in a container on the host's network (podman), with the
    same settings as App through the environment; read-only root file system, a tmpfs /tmp, and
    `limits` (podman run options, e.g. --memory 512m --cpus 1). stop() is `podman stop` (SIGTERM, then
    SIGKILL after the grace period), kill9() is `podman kill -s KILL`."""

    def __init__(self, moto, issuer, name, limits=("--memory", "768m"), grace=40, env=()):
        super().__init__(moto, issuer, name)
        self.container = f"digiads-{name}-{uuid.uuid4().hex[:6]}"
        self.limits, self.grace, self.env = list(limits), grace, list(env)
        self.exit_code = self.stop_seconds = self.ready_seconds = None

    def start(self):
        podman("rm", "-f", "-t", "0", self.container, check=False)
        env = {"SERVER_PORT": self.port, "MANAGEMENT_SERVER_PORT": self.management_port,
               "SPRING_SECURITY_USER_PASSWORD": PASSWORD,
               "DIGIADS_SECURITY_ISSUER_URI": self.issuer.url,
               "DIGIADS_AWS_ENDPOINT_OVERRIDE": self.moto.endpoint,
               "DIGIADS_AWS_REKOGNITION_ENDPOINT_OVERRIDE": self.moto.rekognition.url,
               "DIGIADS_AWS_ACCESS_KEY_ID": "test", "DIGIADS_AWS_SECRET_ACCESS_KEY": "test",
               "DIGIADS_AWS_REGION": "us-east-1", "DIGIADS_AWS_ACCOUNT_ID": ACCOUNT,
               "DIGIADS_SQS_BASE_URL": f"{self.moto.endpoint}/{ACCOUNT}", "DIGIADS_SQS_WAIT_TIME_SECONDS": "2",
               "DIGIADS_DEALS_BASE_URL": "http://127.0.0.1:9", "DIGIADS_DEALS_API_KEY": "reliability",
               "DIGIADS_PAGE_AUTHORIZATION_URI": self.issuer.url + "/oauth2/authorize",
               "DIGIADS_PAGE_TOKEN_URI": self.issuer.url + "/oauth2/token",
               "DIGIADS_PAGE_JWK_SET_URI": self.issuer.url + "/oauth2/jwks",
               "DIGIADS_PAGE_USER_INFO_URI": self.issuer.url + "/userinfo"}
        env.update(dict(e.split("=", 1) for e in self.env))
        args = ["run", "-d", "--name", self.container, "--network=host", "--read-only", "--tmpfs", "/tmp",
                "--stop-timeout", str(self.grace), *self.limits]
        for key, value in env.items():
            args += ["-e", f"{key}={value}"]
        started = time.time()
        podman(*args, IMAGE)
        wait_until(f"container {self.name} ready", self._ready, 180, 0.25)
        self.ready_seconds = time.time() - started
        log(f"container {self.name} ready in {self.ready_seconds:.1f} s on port {self.port}, "
            f"management {self.management_port}")
        return self

    def _ready(self):
        if podman("container", "inspect", "--format", "{{.State.Running}}", self.container) != "true":
            self.save_log()
            raise SystemExit(f"container {self.name} exited while starting: see {OUT / ('app-' + self.name + '.log')}")
        return _get(f"http://127.0.0.1:{self.management_port}/actuator/health/readiness") is not None

    def save_log(self):
        with open(OUT / f"app-{self.name}.log", "a") as out:
            out.write(podman("logs", self.container, check=False) + "\n")

    def inspect(self, template):
        return podman("container", "inspect", "--format", template, self.container)

    def kill9(self):
        podman("kill", "-s", "KILL", self.container)
        podman("wait", self.container, check=False)
        log(f"container {self.name} killed with SIGKILL")

    def stop(self):
        if self.container is None:
            return
        if podman("container", "inspect", "--format", "{{.State.Running}}", self.container,
                  check=False) == "true":
            started = time.time()
            podman("stop", "-t", str(self.grace), self.container, timeout=self.grace + 30)
            self.stop_seconds = time.time() - started
        self.exit_code = int(self.inspect("{{.State.ExitCode}}") or -1)
        self.oom_killed = self.inspect("{{.State.OOMKilled}}") == "true"
        self.save_log()
        podman("rm", "-f", self.container, check=False)
        self.container = None


def stop_all(*processes):
    """Stops what was started (apps, the issuer, moto), in this order; None is what never started."""
    for process in processes:
        if process is not None:
            try:
                process.stop()
            except Exception as e:  # keep stopping the others
                log(f"stopping {process}: {e}")


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read() if response.status == 200 else None
    except Exception:
        return None


def put_images(moto, count, tag, threads=8, each=contextlib.nullcontext):
    """Puts count distinct JPEGs under the prefix, each put inside the context each() gives; returns
    {imageId: eTag}."""
    def put(i):
        image_id = f"{tag}/{i:05d}.jpg"
        with each():
            response = moto.s3.put_object(Bucket=BUCKET, Key=PREFIX + image_id, Body=jpeg(f"{tag}-{i}"),
                                          ContentType="image/jpeg")
        return image_id, response["ETag"].strip('"')
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        return dict(pool.map(put, range(count)))


def stored_items(moto):
    items, kwargs = {}, {}
    while True:
        page = moto.ddb.scan(TableName=TABLE, ConsistentRead=True, **kwargs)
        for item in page["Items"]:
            items[item["imageId"]["S"]] = {k: list(v.values())[0] for k, v in item.items()}
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def bucket_objects(moto):
    objects, kwargs = {}, {}
    while True:
        page = moto.s3.list_objects_v2(Bucket=BUCKET, Prefix=PREFIX, **kwargs)
        for o in page.get("Contents", []):
            objects[o["Key"][len(PREFIX):]] = o["ETag"].strip('"')
        if not page.get("IsTruncated"):
            return objects
        kwargs["ContinuationToken"] = page["NextContinuationToken"]


def queue_depth(moto, name):
    attributes = moto.sqs.get_queue_attributes(
        QueueUrl=moto.queue_url(name),
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return sum(int(v) for v in attributes.values())


def mismatches(moto):
    """Every way the metadata differs from the bucket: missing, stale (other eTag), or left over."""
    objects, items = bucket_objects(moto), stored_items(moto)
    live = {k: v for k, v in items.items() if v.get("status") != "DELETED"}
    problems = []
    for image_id, etag in objects.items():
        item = live.get(image_id)
        if item is None:
            problems.append(f"missing: {image_id}")
        elif item.get("eTag") != etag or item.get("status") != "LABELED":
            problems.append(f"stale: {image_id} ({item.get('status')}, eTag {item.get('eTag')} != {etag})")
    problems += [f"left over: {i}" for i in live if i not in objects]
    return problems


def converged(moto):
    return all(queue_depth(moto, q) == 0 for q in QUEUES) and not mismatches(moto)


def report(name, lines, ok):
    OUT.mkdir(parents=True, exist_ok=True)
    text = "\n".join([f"{name}: {'PASS' if ok else 'FAIL'}"] + [f"  {line}" for line in lines])
    (OUT / f"{name}.txt").write_text(text + "\n")
    print(text, flush=True)
    return 0 if ok else 1


def result(moto, started):
    problems = mismatches(moto)
    dlq = {q: queue_depth(moto, q) for q in DLQS}
    return problems, dlq, time.time() - started


__all__ = [n for n in dir() if not n.startswith("_")]
