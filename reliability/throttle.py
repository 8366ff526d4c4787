"""Proof 5: Rekognition slow and throttled, two instances, 1,000 images: nothing lost, no message handed
out again while it is in work, and no image paid for more often than SQS delivered its event.

Each instance reaches AWS through a proxy of its own in front of moto (AwsProxy: the instance's
digiads.aws.endpoint-override and SQS base URL). The proxies forward every request to moto and:
  * answer Rekognition DetectLabels slowly: each image takes 2-5 s in all (drawn at random per image);
    some attempts first get a quick 400 ThrottlingException, which the SDK retries with backoff; the
    attempt that is answered waits out the rest (at most 4 s: the app gives one attempt 5 s) and then
    gets moto's answer. DetectLabels answered 200 are paid calls, counted per image key; those the app
    no longer waited for (its attempt limit passed, the SDK tried again) are counted apart.
  * read every SQS request and answer (the SDK speaks the AWS JSON protocol to SQS): each delivery of a
    message (ReceiveMessage answers) by queue, message id and instance, whether the app still took it,
    and which receipt handles were deleted (DeleteMessage, DeleteMessageBatch): the deliveries whose
    work was completed. Visibility changes (the consumers' extensions) are counted.

A redelivery is premature when it came while an earlier delivery of the message was still in work: that
earlier delivery's receipt handle was deleted (its work done) after the receive that handed the message
out again had been sent, what a visibility timeout shorter than the work causes. A delivery whose work
failed is never deleted: its message comes back after the visibility timeout, as it should, and is not
premature. A message handed out again to a receive sent after its delete (SQS is at least once) is
counted apart.

The proxies let one SQS write at a time reach moto (SendMessage, DeleteMessage and their batches, and
the proof's own PutObjects, whose S3 events moto adds to the events queue): moto's DeleteMessage
rebuilds the queue's list of messages without a lock, so a concurrent delete or send can bring a deleted
message back (it is delivered again a visibility timeout later) or drop a new one.

The images are put in waves of 100 whenever fewer than 100 events wait (see Feeder): a backlog that
keeps every consumer busy, without the whole thousand in moto's queue at once.

PASS when: both dead-letter queues are empty; every image is LABELED with its ETag; no event was handed
out again while in work; and images <= DetectLabels calls that got their labels <= images + duplicate
deliveries of the events queue (a duplicate processed after the first delivery's metadata was stored
reuses its labels, so it may or may not be paid; no call is made without a delivery), and the same for
DetectModerationLabels, which the proxies pass on to the Rekognition stand-in at once (not in the control
run: its build predates brand safety). The proxies must have read every SQS request (no query-protocol
request they could not count) and failed on none.

    throttle.py [images, default 1000] [--old-settings --jar J] [--seed N]

--old-settings is the control run, which must FAIL: the consumers as they were (10 messages a receive
worked one by one, no visibility timeout of their own, no extension) and both queues at SQS's default
visibility timeout of 30 s. The current code refuses to start with such consumers (ConsumerBudgets), so
the control run takes J, a build of the code before the visibility settings.
"""
import argparse
import collections
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from botocore.exceptions import BotoCoreError, ClientError

from harness import (DEFINITION, DLQS, OUT, QUEUES, App, Issuer, Moto, log, mismatches, put_images, queue_depth,
                     report, stop_all, wait_until)

EVENTS_QUEUE, METADATA_QUEUE = (DEFINITION["queues"][q]["name"] for q in ("events", "metadata"))
# Per instance: 8 consumers of the events queue each, 16 images in work at a time, so that 1,000 images
# of 2-5 s each take about 4 minutes on the 2-core machine.
EVENTS_CONSUMERS = 8
SECONDS_PER_IMAGE = (2.0, 5.0)
# The app gives one DetectLabels attempt 5 s (digiads.aws.timeouts.rekognition-api-call-attempt): the
# answered attempt waits at most 4 s, leaving a busy machine a second for moto and the way back.
ANSWER_WAIT_CAP = 4.0
THROTTLE_PROBABILITY = 0.3
THROTTLES_PER_IMAGE = 2
THROTTLED = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
AMZ_JSON = "application/x-amz-json-1.1"
DRAIN_TIMEOUT = 900
WAVE = 100
# The consumers as they were before the visibility settings: the endpoint URIs of application.properties
# then, for both queues, and SQS's default visibility timeout on both queues; deleteAfterRead=false
# because the routes now delete what they are done with themselves (DeleteMessageBatch).
OLD_ENDPOINTS = [
    "--digiads.endpoints.events-queue=aws2-sqs:${digiads.sqs.events-queue}"
    "?queueUrl=${digiads.sqs.base-url}/${digiads.sqs.events-queue}&waitTimeSeconds=${digiads.sqs.wait-time-seconds}"
    "&maxMessagesPerPoll=10&concurrentConsumers=${digiads.sqs.events-consumers}&greedy=true&deleteAfterRead=false",
    "--digiads.endpoints.metadata-in=aws2-sqs:${digiads.sqs.metadata-queue}"
    "?queueUrl=${digiads.sqs.base-url}/${digiads.sqs.metadata-queue}&waitTimeSeconds=${digiads.sqs.wait-time-seconds}"
    "&maxMessagesPerPoll=10&concurrentConsumers=${digiads.sqs.metadata-consumers}&greedy=true&deleteAfterRead=false",
]
OLD_VISIBILITY_TIMEOUT = "30"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
              "trailer", "transfer-encoding", "upgrade", "expect"}
READ_WHOLE = 1024 * 1024
SQS_WRITES = {"SendMessage", "SendMessageBatch", "DeleteMessage", "DeleteMessageBatch"}
BLOCK = 64 * 1024


@dataclass
class Delivery:
    queue: str
    message_id: str
    instance: str
    handle: str
    key: str                  # the image an events message is about
    asked: float              # when the receive that handed it out was sent (time.time(), as in the apps' logs)
    at: float                 # when that receive was answered
    deleted_at: float = None  # when moto answered the delete of its receipt handle
    taken: bool = True        # False: the app had given up on that receive


class Ledger:
    """What both proxies saw, and the random draws of the slow Rekognition."""

    def __init__(self, seed):
        self.lock = threading.Lock()
        self.random = random.Random(seed)
        self.calls = {}                                  # image key -> [first attempt, seconds, throttles]
        self.paid = collections.Counter()                # image key -> DetectLabels answered 200
        self.paid_by = collections.Counter()             # instance -> DetectLabels answered 200
        self.took = []                                   # seconds from first attempt to the 200
        self.throttled = 0
        self.paid_not_taken = 0                          # 200s the app no longer waited for (attempt limit)
        self.moderation = collections.Counter()          # image key -> DetectModerationLabels answered 200
        self.abandoned = collections.Counter()           # request -> answers the app no longer took
        self.deliveries = collections.defaultdict(list)  # (queue, message id) -> [Delivery]
        self.handles = {}                                # receipt handle -> Delivery
        self.receives = collections.Counter()            # (instance, queue) -> ReceiveMessage answered with messages
        self.received = collections.Counter()            # (instance, queue) -> messages delivered
        self.extensions = collections.Counter()          # (instance, queue) -> visibility changes that succeeded
        self.unread = collections.Counter()              # SQS requests in a protocol the proxy does not read
        self.errors = 0                                  # requests the proxy failed on (traceback on stderr)
        # One SQS write at a time reaches moto: its DeleteMessage rebuilds the queue's list of messages
        # without a lock, so a concurrent delete or send can bring a deleted message back or drop a new one.
        self.sqs_writes = threading.Lock()

    def rekognition_call(self, key):
        """(throttle this attempt?, when the call started, how long it takes in all)"""
        with self.lock:
            call = self.calls.setdefault(key, [time.monotonic(), self.random.uniform(*SECONDS_PER_IMAGE), 0])
            throttle = call[2] < THROTTLES_PER_IMAGE and self.random.random() < THROTTLE_PROBABILITY
            if throttle:
                call[2] += 1
                self.throttled += 1
            return throttle, call[0], call[1]

    def rekognition_answered(self, key, instance, status):
        """Moto's answer to a DetectLabels, before the app gets it; True when it is paid (200)."""
        with self.lock:
            call = self.calls.pop(key, None)
            if status == 200:
                self.paid[key] += 1
                self.paid_by[instance] += 1
                if call:
                    self.took.append(time.monotonic() - call[0])
            return status == 200

    def moderated(self, key, status):
        if status == 200:
            with self.lock:
                self.moderation[key] += 1

    def not_taken(self, deliveries, paid):
        """The app no longer waited for an answer (its call or attempt had timed out)."""
        with self.lock:
            for d in deliveries:
                d.taken = False
            self.paid_not_taken += paid

    def sqs(self, instance, action, request, answer, asked):
        """Moto's answer to an SQS request (sent at asked), before the app gets it; returns the deliveries
        it makes."""
        queue = urlsplit(request.get("QueueUrl", "")).path.rstrip("/").rsplit("/", 1)[-1]
        now = time.time()
        made = []
        with self.lock:
            if action == "ReceiveMessage":
                messages = answer.get("Messages", [])
                if messages:
                    self.receives[instance, queue] += 1
                    self.received[instance, queue] += len(messages)
                for m in messages:
                    delivery = Delivery(queue, m["MessageId"], instance, m["ReceiptHandle"], _keys(m), asked, now)
                    self.deliveries[queue, m["MessageId"]].append(delivery)
                    self.handles[m["ReceiptHandle"]] = delivery
                    made.append(delivery)
            elif action == "DeleteMessage":
                self._deleted(request["ReceiptHandle"], now)
            elif action == "DeleteMessageBatch":
                done = {s["Id"] for s in answer.get("Successful", [])}
                for entry in request.get("Entries", []):
                    if entry["Id"] in done:
                        self._deleted(entry["ReceiptHandle"], now)
            elif action == "ChangeMessageVisibility":
                self.extensions[instance, queue] += 1
            elif action == "ChangeMessageVisibilityBatch":
                self.extensions[instance, queue] += len(answer.get("Successful", []))
        return made

    def _deleted(self, handle, now):
        delivery = self.handles.get(handle)
        if delivery is not None and delivery.deleted_at is None:
            delivery.deleted_at = now

    def queue_figures(self, queue):
        per_message = [d for (q, _), d in self.deliveries.items() if q == queue]
        deliveries = sum(len(d) for d in per_message)
        taken = sum(1 for ds in per_message for d in ds if d.taken)
        premature = after_delete = 0
        for ds in per_message:
            ds = sorted(ds, key=lambda d: d.at)
            for i in range(1, len(ds)):
                deletes = [d.deleted_at for d in ds[:i] if d.deleted_at is not None]
                # handed out while an earlier delivery was in work, which then completed and deleted it
                premature += any(t > ds[i].asked for t in deletes)
                # asked for after an earlier delivery had deleted it (at least once; in moto, see sqs_writes)
                after_delete += bool(deletes) and all(t <= ds[i].asked for t in deletes)
        return {"deliveries": deliveries, "messages": len(per_message), "not_taken": deliveries - taken,
                "duplicates": taken - len(per_message), "premature": premature, "after_delete": after_delete,
                "max_receives": max((len(d) for d in per_message), default=0),
                "receive_counts": dict(sorted(collections.Counter(len(d) for d in per_message).items()))}

    def redeliveries(self):
        """Every message delivered more than once, delivery by delivery (wall-clock times, as in the apps' logs)."""
        lines = []
        for (queue, message_id), ds in sorted(self.deliveries.items(), key=lambda kv: min(d.at for d in kv[1])):
            if len(ds) > 1:
                lines.append(f"{queue} {message_id} {ds[0].key}")
                lines += [f"  asked {_clock(d.asked)}, delivered {_clock(d.at)} to {d.instance}"
                          f"{'' if d.taken else ' (not taken)'}, "
                          f"deleted {_clock(d.deleted_at) if d.deleted_at else 'never'}"
                          for d in sorted(ds, key=lambda d: d.at)]
        return lines


def _clock(t):
    return time.strftime("%H:%M:%S", time.localtime(t)) + f".{int(t * 1000) % 1000:03d}"


class AwsProxy:
    """An AWS endpoint for one app instance: everything goes on to moto, with DetectLabels slowed and
    throttled and the SQS traffic counted in the shared ledger."""

    def __init__(self, moto, ledger, instance):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_any(self):
                try:
                    proxy.handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    with ledger.lock:
                        ledger.abandoned[self.headers.get("X-Amz-Target") or self.command] += 1
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_any

            def log_message(self, *args):
                pass

        self.ledger, self.instance = ledger, instance
        # Rekognition goes to the stand-in (it answers DetectModerationLabels, passes DetectLabels to moto)
        self.moto, self.rekognition = (_address(url) for url in (moto.endpoint, moto.rekognition.url))

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
                    with ledger.lock:  # (a reset: an instance closed a kept-alive connection)
                        ledger.errors += 1
                    super().handle_error(request, client_address)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def handle(self, h):
        target = h.headers.get("X-Amz-Target", "")
        length = h.headers.get("Content-Length")
        body = h.rfile.read(int(length)) if length is not None and int(length) <= READ_WHOLE else None
        if target == "RekognitionService.DetectLabels":
            self.detect_labels(h, body)
        elif target == "RekognitionService.DetectModerationLabels":
            key = json.loads(body)["Image"]["S3Object"]["Name"]
            self.forward(h, body, upstream=self.rekognition,
                         on_answer=lambda status, _: self.ledger.moderated(key, status))
        elif target.startswith("AmazonSQS."):
            action, made, asked = target.split(".", 1)[1], [], time.time()

            def counted(status, answer):
                if status == 200:
                    made.extend(self.ledger.sqs(self.instance, action, json.loads(body), json.loads(answer), asked))
            try:
                if action in SQS_WRITES:
                    with self.ledger.sqs_writes:
                        self.forward(h, body, keep=True, on_answer=counted)
                else:
                    self.forward(h, body, keep=True, on_answer=counted)
            except (BrokenPipeError, ConnectionResetError):
                self.ledger.not_taken(made, 0)
                raise
        else:
            if body and h.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded") \
                    and b"Action=" in body:
                with self.ledger.lock:
                    self.ledger.unread[body.split(b"Action=", 1)[1].split(b"&", 1)[0].decode()] += 1
            self.forward(h, body, upstream=self.rekognition if target.startswith("RekognitionService.") else None)

    def detect_labels(self, h, body):
        key = json.loads(body)["Image"]["S3Object"]["Name"]
        throttle, started, seconds = self.ledger.rekognition_call(key)
        if throttle:
            h.send_response(400)
            h.send_header("Content-Type", AMZ_JSON)
            h.send_header("Content-Length", str(len(THROTTLED)))
            h.end_headers()
            h.wfile.write(THROTTLED)
            return
        time.sleep(max(0.0, min(started + seconds - time.monotonic(), ANSWER_WAIT_CAP)))
        paid = []
        try:
            self.forward(h, body, upstream=self.rekognition, on_answer=lambda status, _: paid.append(
                self.ledger.rekognition_answered(key, self.instance, status)))
        except (BrokenPipeError, ConnectionResetError):
            self.ledger.not_taken([], sum(paid))
            raise

    def forward(self, h, body, keep=False, on_answer=None, upstream=None):
        """Sends the request on to moto (or upstream) and its answer back, calling on_answer(status,
        answer body if keep) in between."""
        headers = {k: v for k, v in h.headers.items() if k.lower() not in HOP_BY_HOP}
        chunked = "chunked" in h.headers.get("Transfer-Encoding", "").lower()
        if body is None and chunked:
            headers.pop("Content-Length", None)
            body = _dechunk(h.rfile)
        elif body is None and h.headers.get("Content-Length") is not None:
            body = _Limited(h.rfile, int(h.headers["Content-Length"]))
        connection = http.client.HTTPConnection(*(upstream or self.moto), timeout=120)
        try:
            connection.request(h.command, h.path, body=body, headers=headers, encode_chunked=chunked)
            response = connection.getresponse()
            length = response.getheader("Content-Length")
            no_body = h.command == "HEAD" or response.status in (204, 304)
            whole = None if no_body or (not keep and length is not None and int(length) > READ_WHOLE) \
                else response.read()
            if on_answer:
                on_answer(response.status, whole)
            h.send_response(response.status)
            for k, v in response.getheaders():
                if k.lower() not in HOP_BY_HOP and not (whole is not None and k.lower() == "content-length"):
                    h.send_header(k, v)
            if whole is not None:
                h.send_header("Content-Length", str(len(whole)))
            h.end_headers()
            if whole is not None:
                h.wfile.write(whole)
            elif not no_body:
                while block := response.read(BLOCK):
                    h.wfile.write(block)
        finally:
            connection.close()


def _address(url):
    parts = urlsplit(url)
    return parts.hostname, parts.port


def _keys(message):
    """The object keys of an S3 event message ("" for any other message)."""
    try:
        return " ".join(r["s3"]["object"]["key"] for r in json.loads(message.get("Body", "")).get("Records", []))
    except (ValueError, KeyError, TypeError, AttributeError):
        return ""


class _Limited:
    """A request body of known length, read on from the client's socket (http.client reads blocks)."""

    def __init__(self, stream, length):
        self.stream, self.left = stream, length

    def read(self, size=BLOCK):
        data = self.stream.read(min(size, self.left)) if self.left > 0 else b""
        self.left -= len(data)
        return data


def _dechunk(stream):
    """The blocks of a chunked request body (http.client chunks them again)."""
    while True:
        size = int(stream.readline().split(b";", 1)[0].strip(), 16)
        if size == 0:
            while stream.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return
        yield stream.read(size)
        stream.readline()


class Timeline:
    """Every 10 s: the machine's load, the CPU share of moto, the proxies and each instance, the queues'
    depths (as last read by the drain check) and the ledger's counts; written to <proof>-timeline.txt."""

    def __init__(self, name, ledger, processes):
        self.ledger, self.processes, self.depths = ledger, processes, {}
        self.file = open(OUT / f"{name}-timeline.txt", "w")
        self.file.write("s load1 " + " ".join(f"cpu%{p}" for p in processes)
                        + " events-depth metadata-depth paid throttled events-deliveries\n")
        self.cpu = {p: 0.0 for p in processes}
        self.started, self.stopped = time.monotonic(), threading.Event()
        threading.Thread(target=self.run, daemon=True).start()

    @staticmethod
    def cpu_seconds(pid):
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            return None

    def run(self):
        last = {p: self.cpu_seconds(pid) for p, pid in self.processes.items()}
        while not self.stopped.wait(10):
            now = {p: self.cpu_seconds(pid) for p, pid in self.processes.items()}
            share = {p: (now[p] - last[p]) * 10 if now[p] is not None and last[p] is not None else -1 for p in now}
            for p in now:
                if now[p] is not None:
                    self.cpu[p] = now[p]
            last = now
            with self.ledger.lock:
                counts = (sum(self.ledger.paid.values()), self.ledger.throttled,
                          sum(len(d) for (q, _), d in self.ledger.deliveries.items() if q == EVENTS_QUEUE))
            depths = [self.depths.get(q, "-") for q in QUEUES]
            row = [round(time.monotonic() - self.started), round(os.getloadavg()[0], 1)]
            row += [round(share[p]) for p in self.processes] + depths + list(counts)
            self.file.write(" ".join(str(x) for x in row) + "\n")
            self.file.flush()

    def stop(self):
        self.stopped.set()
        self.file.close()


class Feeder:
    """Puts the images in waves of WAVE whenever fewer than WAVE events wait in the queue: a backlog that
    gives every consumer full receives, without the whole thousand in moto's queue at once (moto's
    ReceiveMessage recomputes the queue's attributes, a walk over all its messages, for every message it
    hands out: with 1,000 queued a receive of 10 takes it about a second, the apps' receives time out,
    and what moto handed out to a receive nobody waits for any more comes back 30 s later)."""

    def __init__(self, moto, ledger, count, tag):
        self.moto, self.ledger, self.count, self.tag, self.put, self.waves = moto, ledger, count, tag, 0, 0

    def step(self):
        try:
            waiting = int(self.moto.sqs.get_queue_attributes(
                QueueUrl=self.moto.queue_url(EVENTS_QUEUE),
                AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"])
        except (BotoCoreError, ClientError) as e:
            log(f"events waiting: {e}")
            return False
        if waiting < WAVE and self.put < self.count:
            n = min(WAVE, self.count - self.put)
            # moto adds each put's S3 event to the events queue: an SQS write like the apps' (see sqs_writes)
            put_images(self.moto, n, f"{self.tag}/{self.waves:02d}", threads=2,
                       each=lambda: self.ledger.sqs_writes)
            self.put, self.waves = self.put + n, self.waves + 1
        return self.put == self.count


def drained(moto, timeline):
    """Both queues empty, nothing in flight (a moto too busy to answer in time is: not yet)."""
    try:
        timeline.depths = {q: queue_depth(moto, q) for q in QUEUES}
    except (BotoCoreError, ClientError) as e:
        log(f"queue depths: {e}")
        return False
    return not any(timeline.depths.values())


def log_lines(app, offset, *needles):
    with open(OUT / f"app-{app.name}.log", "rb") as f:
        f.seek(offset)
        text = f.read().decode(errors="replace")
    return {n: text.count(n) for n in needles}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("images", nargs="?", type=int, default=1000)
    parser.add_argument("--old-settings", action="store_true",
                        help="control run: the consumers and queues as before the visibility settings")
    parser.add_argument("--jar", help="another build of the app (the control run: the code before the visibility "
                                      "settings, which the current code refuses to start with)")
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args()
    name = "throttle-old" if args.old_settings else "throttle"
    count = args.images

    ledger = Ledger(args.seed)
    moto = Moto()
    issuer, apps, proxies = None, [], []
    try:
        if args.old_settings:
            for q in QUEUES:
                moto.sqs.set_queue_attributes(QueueUrl=moto.queue_url(q),
                                              Attributes={"VisibilityTimeout": OLD_VISIBILITY_TIMEOUT})
        visibility = {q: moto.sqs.get_queue_attributes(QueueUrl=moto.queue_url(q), AttributeNames=[
            "VisibilityTimeout"])["Attributes"]["VisibilityTimeout"] for q in QUEUES}
        issuer = Issuer()
        extra = [f"--digiads.sqs.events-consumers={EVENTS_CONSUMERS}"] + (OLD_ENDPOINTS if args.old_settings else [])
        for instance in ("a", "b"):
            proxy = AwsProxy(moto, ledger, instance)
            proxies.append(proxy)
            apps.append(App(moto, issuer, f"{name}-{instance}", jar=args.jar, extra_args=extra,
                            endpoint=proxy.endpoint))
        offsets = {}
        for app in apps:
            log_file = OUT / f"app-{app.name}.log"
            offsets[app.name] = log_file.stat().st_size if log_file.exists() else 0
            app.start()
        timeline = Timeline(name, ledger, {"moto": moto.process.pid, "proxies": os.getpid(),
                                           **{app.name: app.process.pid for app in apps}})
        log(f"{name}: queues' visibility timeout {visibility}; putting {count} images")
        started = time.time()
        feeder = Feeder(moto, ledger, count, name)
        done = True
        try:
            wait_until("all images put", feeder.step, DRAIN_TIMEOUT, 2)
            wait_until("queues drained", lambda: drained(moto, timeline), DRAIN_TIMEOUT - (time.time() - started), 2)
        except TimeoutError as e:
            log(str(e))
            done = False
        took = time.time() - started
        timeline.stop()
        cpu = {p: round(seconds) for p, seconds in timeline.cpu.items()}
        load = os.getloadavg()
        problems = mismatches(moto)
        dlq = {q: queue_depth(moto, q) for q in DLQS}
        app_calls = [app.metric("digiads_rekognition_calls_total") for app in apps]
        failed = {app.name: log_lines(app, offsets[app.name], "Error during processing exchange", "Error while polling",
                                      "Extending visibility window failed") for app in apps}
    finally:
        stop_all(*apps, issuer, *proxies, moto)

    with ledger.lock:
        events = ledger.queue_figures(EVENTS_QUEUE)
        metadata = ledger.queue_figures(METADATA_QUEUE)
        paid = sum(ledger.paid.values())
        calls = paid - ledger.paid_not_taken  # the answers the app got
        paid_twice = sum(1 for n in ledger.paid.values() if n > 1)
        moderated = sum(ledger.moderation.values())
        moderated_twice = sum(1 for n in ledger.moderation.values() if n > 1)
        took_per_image = sorted(ledger.took)
        (OUT / f"{name}-redeliveries.txt").write_text("\n".join(ledger.redeliveries()) + "\n")
    instances = [p.instance for p in proxies]

    def per_instance(counter, queue):
        return {i: counter[i, queue] for i in instances}

    bounded = count <= calls <= count + events["duplicates"]
    moderation_bounded = count <= moderated <= count + events["duplicates"]
    ok = (done and not problems and not any(dlq.values()) and events["premature"] == 0 and bounded
          and (moderation_bounded or args.old_settings) and not ledger.unread and not ledger.errors)
    return report(name, [
        f"images: {count}, put in waves of {WAVE} whenever fewer than {WAVE} events waited; two instances, "
        f"{EVENTS_CONSUMERS} events consumers each; jar {apps[0].jar.name}"
        + (", old consumer settings (10 messages a receive, no visibility timeout of their own, no extension)"
           if args.old_settings else ""),
        f"queues' visibility timeout: {visibility}",
        f"drained: {done}, after {took:.0f} s ({count / took:.1f} images/s)",
        f"CPU seconds (each process, since it started): {cpu}; load average at the end {load[0]:.1f} "
        f"{load[1]:.1f} {load[2]:.1f} (2 cores, shared)",
        f"DetectLabels: {ledger.throttled} answered ThrottlingException; {paid} answered 200 (per instance "
        f"{dict(ledger.paid_by)}), {ledger.paid_not_taken} of them after the app's attempt limit (the SDK tried "
        f"again): {calls} calls got their labels (the apps counted {[round(c) for c in app_calls]} calls)",
        "seconds from a call's first attempt to its 200: "
        + (f"min {took_per_image[0]:.1f}, median {statistics.median(took_per_image):.1f}, max {took_per_image[-1]:.1f}"
           if took_per_image else "none"),
        f"image keys paid more than once: {paid_twice}; DetectModerationLabels answered 200: {moderated}, "
        f"image keys more than once: {moderated_twice}",
        f"events queue: {events['deliveries']} deliveries of {events['messages']} messages "
        f"({events['not_taken']} to receives the app had given up on); {events['duplicates']} duplicates: "
        f"{events['premature']} handed out again while in work, {events['after_delete']} after their delete; "
        f"receives per message {events['receive_counts']} (max {events['max_receives']})",
        f"events queue per instance: receives with messages {per_instance(ledger.receives, EVENTS_QUEUE)}, "
        f"messages {per_instance(ledger.received, EVENTS_QUEUE)}, "
        f"visibility extensions {per_instance(ledger.extensions, EVENTS_QUEUE)}",
        f"metadata queue: {metadata['deliveries']} deliveries of {metadata['messages']} messages, "
        f"{metadata['duplicates']} duplicates ({metadata['premature']} handed out again while in work); "
        f"visibility extensions {per_instance(ledger.extensions, METADATA_QUEUE)}",
        f"app logs: {failed}",
        f"proxies: SQS requests not read {dict(ledger.unread)}, requests failed {ledger.errors}, "
        f"answers not taken {dict(ledger.abandoned)}",
        f"mismatches: {len(problems)} {problems[:5]}",
        f"dead-letter queues: {dlq}",
        f"{count} images <= {calls} DetectLabels calls <= {count} + {events['duplicates']} duplicates: {bounded}",
        f"{count} images <= {moderated} DetectModerationLabels calls <= {count} + {events['duplicates']} duplicates: "
        f"{moderation_bounded}" + (" (the build before brand safety makes none)" if args.old_settings else ""),
    ], ok)


if __name__ == "__main__":
    raise SystemExit(main())
