"""docker/compose.yaml with podman-compose (docker/podman/compose.sh: the images built locally over the local
bases): the stack comes up, the app becomes ready, one image goes through the API (a token from the issuer,
upload 202, LABELED by the labeler's model as what it shows, a cat, deals for its labels), Prometheus answers
401 without and 200 with the operator login, and stopping the app drains it (exit 143 within its
stop_grace_period). Uses the compose file's host ports (4566, 8080, 8081, 8089, 9000): they must be free.

podman 4.3 runs no health checks without systemd (no timers), so a `depends_on: condition: service_healthy`
would never be met: the proof starts the services in the file's order itself and runs each one's health check
(`podman healthcheck run`) until it passes, then starts those that depend on them (--no-deps).

  run.sh compose
"""
import base64
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from harness import OUT, ROOT, log, podman, report, wait_until

COMPOSE = ROOT / "docker" / "podman" / "compose.sh"
PASSWORD = uuid.uuid4().hex
ENV = dict(os.environ, DIGIADS_ADMIN_PASSWORD=PASSWORD)
PHOTO = ROOT / "src" / "test" / "resources" / "photos" / "chelsea.jpg"


def compose(*args, timeout=1800, check=True):
    with open(OUT / "compose.log", "a") as out:
        out.write(f"$ compose {' '.join(args)}\n")
        out.flush()
        done = subprocess.run([str(COMPOSE), *args], env=ENV, stdout=out, stderr=subprocess.STDOUT, timeout=timeout)
    if check and done.returncode != 0:
        raise SystemExit(f"compose {' '.join(args)} failed ({done.returncode}): see {OUT / 'compose.log'}")


def container(service):
    return f"digiads_{service}_1"


def healthy(service):
    return subprocess.run([str(ROOT / "docker" / "podman" / "podman.sh"), "healthcheck", "run", container(service)],
                          capture_output=True).returncode == 0


def http(url, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except Exception:
        return None, b""


def main():
    (OUT / "compose.log").unlink(missing_ok=True)
    lines, ok = [], True
    try:
        started = time.time()
        compose("build")
        log(f"images built in {time.time() - started:.0f} s")
        for service in ("moto", "labeler", "rekognition", "deals", "issuer"):
            compose("up", "-d", "--no-deps", service)
            wait_until(f"{service} healthy", lambda s=service: healthy(s), 180, 1)
            log(f"{service} healthy")
        compose("up", "-d", "--no-deps", "provision")
        wait_until("provision done", lambda: podman("container", "inspect", "--format", "{{.State.Status}}",
                                                    container("provision"), check=False) == "exited", 180, 1)
        provisioned = podman("container", "inspect", "--format", "{{.State.ExitCode}}", container("provision"))
        up = time.time()
        compose("up", "-d", "--no-deps", "app")
        wait_until("app ready", lambda: http("http://127.0.0.1:8081/actuator/health/readiness")[0] == 200, 300, 0.5)
        ready = time.time() - up
        wait_until("app healthy", lambda: healthy("app"), 60, 1)
        lines.append(f"provision exit {provisioned}; app ready {ready:.1f} s after its start; "
                     f"every service's health check passes (run by the proof: podman healthcheck run)")

        status, body = http("http://localhost:9000/oauth2/token", data=b"grant_type=client_credentials",
                            headers={"Authorization": "Basic " + base64.b64encode(b"digiads-dev:digiads-dev-secret")
                                     .decode(), "Content-Type": "application/x-www-form-urlencoded"})
        token = json.loads(body)["access_token"]
        bearer = {"Authorization": "Bearer " + token}
        status, body = http("http://localhost:8080/api/images?name=compose/chelsea.jpg", data=PHOTO.read_bytes(),
                            headers={**bearer, "Content-Type": "image/jpeg"}, method="POST")
        lines.append(f"upload: {status}")
        ok &= status == 202

        def labeled():
            s, b = http("http://localhost:8080/api/images/compose%2Fchelsea.jpg/metadata", headers=bearer)
            return s == 200 and json.loads(b).get("status") == "LABELED" and json.loads(b)
        wait_until("labeled", lambda: labeled(), 120, 0.5)
        metadata = labeled()
        names = [label["name"] for label in metadata["labels"]]
        lines.append(f"metadata: {metadata['status']}, labels {names[:5]}")
        # the labeler's model, not moto's constant: the photo is of a cat
        ok &= "Cat" in names

        def deals():
            s, b = http("http://localhost:8080/api/images/compose%2Fchelsea.jpg/digiads", headers=bearer)
            return s == 200 and len(json.loads(b).get("deals", [])) > 0 and json.loads(b)
        wait_until("deals", lambda: deals(), 60, 1)
        lines.append(f"digiads: {len(deals()['deals'])} deals")

        anonymous = http("http://127.0.0.1:8081/actuator/prometheus")[0]
        operator = http("http://127.0.0.1:8081/actuator/prometheus", headers={
            "Authorization": "Basic " + base64.b64encode(f"admin:{PASSWORD}".encode()).decode()})[0]
        lines.append(f"Prometheus: {anonymous} anonymous, {operator} as the operator")
        ok &= anonymous == 401 and operator == 200

        stopping = time.time()
        compose("stop", "app", timeout=120)
        took = time.time() - stopping
        code = podman("container", "inspect", "--format", "{{.State.ExitCode}}", container("app"))
        lines.append(f"compose stop app: exit {code} after {took:.1f} s (stop_grace_period 40 s)")
        ok &= code == "143" and took < 40
    except (SystemExit, TimeoutError, Exception) as e:  # report what was reached
        lines.append(f"stopped early: {e}")
        ok = False
    finally:
        compose("down", "-t", "5", timeout=300, check=False)
    return report("compose", lines, ok)


if __name__ == "__main__":
    sys.exit(main())
