"""Proof 5: schemathesis against the app's own OpenAPI document: no 5xx, no response that breaks
the schema. schemathesis runs from its own venv (run.sh makes it) and calls the API with the
developer's access token (both scopes). The per-client write rate limit is lifted for the run: it is
not what is fuzzed, and its 429s would only cut the examples short."""
import subprocess
import sys

from harness import OUT, ROOT, App, Issuer, Moto, put_images, report, stop_all

EXAMPLES = sys.argv[1] if len(sys.argv) > 1 else "100"


def main():
    moto = Moto()
    issuer = app = None
    try:
        issuer = Issuer()
        app = App(moto, issuer, "fuzz", extra_args=["--digiads.security.write-rate.per-second=100000",
                                                    "--digiads.security.write-rate.burst=100000"])
        app.start()
        put_images(moto, 5, "fuzz")  # some images exist, so that reads can also succeed
        base = f"http://127.0.0.1:{app.port}"
        st = ROOT / "target" / "schemathesis-venv" / "bin" / "schemathesis"
        command = [str(st), "--config-file", str(ROOT / "reliability" / "schemathesis.toml"), "run",
                   f"{base}/api/openapi.json", "--url", f"{base}/api",
                   "--header", f"Authorization: Bearer {issuer.token()}",
                   "--max-examples", EXAMPLES, "--workers", "2",
                   "--report", "junit", "--report-dir", str(OUT / "schemathesis")]
        completed = subprocess.run(command, capture_output=True, text=True)
        (OUT / "schemathesis.log").write_text(completed.stdout + completed.stderr)
        tail = [line for line in completed.stdout.splitlines() if line.strip()][-12:]
        return report("fuzz", tail + [f"exit code {completed.returncode}"], completed.returncode == 0)
    finally:
        stop_all(app, issuer, moto)


if __name__ == "__main__":
    sys.exit(main())
