"""Proof 4: uploads never make the app hold more than the limit. The production jar with -Xmx256m
takes 20 concurrent 200 MB chunked uploads (no Content-Length) from clients that keep sending while
they read the answer, as a real client does, not one that waits for 100-continue; each of the 20
clients does that --rounds times in a row, so that the load lasts long enough to be measured. The app
answers 413 to each, keeps serving getDigiAds meanwhile, and its heap stays far below -Xmx: sampled
from the management port's Prometheus scrape (as the operator) and read from the GC log (heap before
and after every collection), with the peak RSS and the spooled files. The per-client write rate limit
is lifted for the run: the uploads all come from one client, and the limit is not what is proved.

    uploads.py [--jar J] [--label L] [--rounds N]   J: another build, e.g. the code before the limits
"""
import argparse
import concurrent.futures
import json
import os
import re
import socket
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import OUT, App, Issuer, Moto, log, put_images, report, stop_all, stored_items, wait_until

UPLOADS = 20
SIZE = 200 * 1024 * 1024
CHUNK = 64 * 1024
DIGIADS_CLIENTS = 4
MB = 1024 * 1024


class Deals:
    """A Deals API that answers at once: getDigiAds' latency is then the app's own."""

    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = json.dumps({"deals": [{"id": "d-1", "title": "a deal", "price": 9.99, "currency": "USD",
                                              "merchant": "Shop", "url": "https://deals.example/d-1"}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


def chunked_upload(port, token, index):
    """POSTs SIZE bytes in chunks; a second thread reads the answer meanwhile. Returns (status or
    error, seconds to the answer, bytes sent by then)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=300)
    head = (f"POST /api/images?name=big/{index:02d}.jpg HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n")
    sent = [0]
    done = threading.Event()

    def send():
        chunk = b"%x\r\n" % CHUNK + bytes(CHUNK) + b"\r\n"
        try:
            sock.sendall(head.encode())
            while sent[0] < SIZE and not done.is_set():
                sock.sendall(chunk)
                sent[0] += CHUNK
            if not done.is_set():
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed the connection

    started = time.time()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        status_line = sock.makefile("rb").readline().decode(errors="replace")
        outcome = int(status_line.split()[1]) if status_line.startswith("HTTP/") else "no answer"
    except OSError as e:
        outcome = type(e).__name__
    took, sent_then = time.time() - started, sent[0]
    done.set()
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sender.join(60)
    sock.close()
    return outcome, took, sent_then


def get(url, token, timeout=10):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    started = time.time()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError as e:
        status = type(e).__name__
    return status, time.time() - started


def digiads_load(url, token, stop, results):
    while not stop.is_set():
        results.append(get(url, token))


def summary(calls):
    oks = sorted(t for s, t in calls if s == 200)
    others = {}
    for s, _ in calls:
        if s != 200:
            others[s] = others.get(s, 0) + 1
    if not oks:
        return f"{len(calls)} calls, no 200 ({others})"
    p = lambda q: oks[min(len(oks) - 1, int(q * len(oks)))] * 1000
    return (f"{len(calls)} calls, {len(oks)} x 200, others {others or 'none'}; "
            f"latency p50 {p(0.5):.0f} ms, p95 {p(0.95):.0f} ms, max {oks[-1] * 1000:.0f} ms")


def rss_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


class Jstat:
    """Heap used (survivors + eden + old, in bytes) of a JVM every 250 ms, from `jstat -gc`: cheap and
    from outside, so it keeps sampling when the app is too busy to answer a scrape."""

    def __init__(self, pid):
        self.samples = []
        self.process = subprocess.Popen(["jstat", "-gc", str(pid), "250"], stdout=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        header = None
        for line in self.process.stdout:
            fields = line.split()
            if fields and fields[0] == "S0C":
                header = fields
            elif header and len(fields) == len(header):
                row = dict(zip(header, fields))
                self.samples.append(sum(float(row[c]) for c in ("S0U", "S1U", "EU", "OU")) * 1024)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def gc_pauses(gc_log):
    """(heap before, heap after) in MB of every collection in a -Xlog:gc log."""
    try:
        text = gc_log.read_text(errors="replace")
    except OSError:
        return []
    return [(int(b), int(a)) for b, a in re.findall(r"(\d+)M->(\d+)M\(\d+M\)", text)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", help="the application jar to prove (default: the build in target/)")
    parser.add_argument("--label", default="uploads", help="name of this run's report")
    parser.add_argument("--rounds", type=int, default=10, help="uploads per client, one after the other")
    parser.add_argument("--app-arg", action="append", default=[], help="a further argument of the app, e.g. "
                        "--camel.main.stream-caching-spool-enabled=false")
    args = parser.parse_args()

    tmp = OUT / f"tmp-{args.label}"  # the app's java.io.tmpdir: where Camel spools request bodies
    tmp.mkdir(parents=True, exist_ok=True)
    moto, deals = Moto(), Deals()
    issuer = app = None
    try:
        issuer = Issuer()
        gc_log = OUT / f"gc-{args.label}.log"
        app = App(moto, issuer, args.label, jar=args.jar, heap="256m",
                  jvm_args=[f"-Djava.io.tmpdir={tmp}", f"-Xlog:gc:file={gc_log}"],
                  extra_args=[f"--digiads.deals.base-url={deals.url}", "--digiads.deals.api-key=reliability",
                              "--digiads.security.write-rate.per-second=100000",
                              "--digiads.security.write-rate.burst=100000", *args.app_arg])
        app.start()
        token = issuer.token()
        image = next(iter(put_images(moto, 1, "uploads")))
        wait_until("the image labeled", lambda: image in stored_items(moto), 60, 0.5)
        digiads_url = f"http://127.0.0.1:{app.port}/api/images/{image.replace('/', '%2F')}/digiads"
        baseline = [get(digiads_url, token) for _ in range(200)]
        heap = lambda: app.metric("jvm_memory_used_bytes", app.prometheus(timeout=5), where='area="heap"')
        heap_before = heap()

        samples, failed_samples, spool_peak, stop = [], [0], [0], threading.Event()

        def sample():
            while not stop.is_set():
                try:
                    samples.append(heap())
                except Exception:
                    failed_samples[0] += 1
                spool_peak[0] = max(spool_peak[0], dir_bytes(tmp))
                stop.wait(0.25)

        jstat = Jstat(app.process.pid)

        calls = []
        background = [threading.Thread(target=sample, daemon=True)] + [
            threading.Thread(target=digiads_load, args=(digiads_url, token, stop, calls), daemon=True)
            for _ in range(DIGIADS_CLIENTS)]
        for thread in background:
            thread.start()
        log(f"{UPLOADS} concurrent chunked uploads of {SIZE // MB} MB, {args.rounds} rounds")
        gcs_before = len(gc_pauses(gc_log))
        started = time.time()
        with concurrent.futures.ThreadPoolExecutor(UPLOADS) as pool:
            uploads = [u for client in pool.map(
                lambda i: [chunked_upload(app.port, token, i) for _ in range(args.rounds)], range(UPLOADS))
                for u in client]
        took = time.time() - started
        stop.set()
        for thread in background:
            thread.join(30)
        jstat.stop()

        alive = app.process.poll() is None
        after = get(digiads_url, token) if alive else ("process gone", 0)
        outcomes = {}
        for outcome, _, _ in uploads:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        answered = [u for u in uploads if isinstance(u[0], int)]
        oom = "OutOfMemoryError" in (OUT / f"app-{args.label}.log").read_text(errors="replace")
        peak_heap = max(samples) if samples else float("nan")
        pauses = gc_pauses(gc_log)[gcs_before:]
        peak_rss = rss_kb(app.process.pid, "VmHWM") if alive else None
        ok = (outcomes.get(413) == len(uploads) and all(s == 200 for s, _ in calls) and calls and alive
              and after[0] == 200 and not oom)
        return report(args.label, [
            f"jar: {app.jar.name} (-Xmx256m) {' '.join(args.app_arg)}".rstrip(),
            f"uploads: {UPLOADS} concurrent clients x {args.rounds} rounds = {len(uploads)} uploads of "
            f"{SIZE // MB} MB each, chunked, all answered within {took:.0f} s",
            f"answers: {outcomes}",
            "bytes sent per upload when an answer came: median "
            + (f"{statistics.median(u[2] for u in answered) / MB:.0f} MB, max {max(u[2] for u in answered) / MB:.0f} MB"
               if answered else "-")
            + f"; answer after median {statistics.median(u[1] for u in uploads):.1f} s",
            f"getDigiAds before the uploads: {summary(baseline)}",
            f"getDigiAds during the uploads ({DIGIADS_CLIENTS} clients): {summary(calls)}",
            f"heap used (jstat every 0.25 s, {len(jstat.samples)} samples): {heap_before / MB:.0f} MB before, peak "
            + (f"{max(jstat.samples) / MB:.0f} MB, median {statistics.median(jstat.samples) / MB:.0f} MB of 256 MB"
               if jstat.samples else "-"),
            f"heap used (Prometheus scrape as the operator, {len(samples)} samples, {failed_samples[0]} failed): "
            f"peak {peak_heap / MB:.0f} MB",
            f"GC log during the uploads: {len(pauses)} collections, heap before them at most "
            + (f"{max(b for b, _ in pauses)} MB, after them at most {max(a for _, a in pauses)} MB" if pauses else "-"),
            f"peak RSS (VmHWM): {peak_rss // 1024 if peak_rss else '-'} MB",
            f"spooled to disk at peak: {spool_peak[0] / MB:.0f} MB",
            f"OutOfMemoryError in the log: {oom}; process alive after: {alive}; getDigiAds after: {after[0]}"], ok)
    finally:
        stop_all(app, issuer, moto, deals)


if __name__ == "__main__":
    raise SystemExit(main())
