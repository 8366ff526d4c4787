"""Proof: live updates across instances. Two instances on the same queues and topic; instance A
serves the API and event streams but consumes none of the pipeline's queues, so instance B
processes every image. An event-stream client connected to A (with a bearer token, as the page's
EventSource is served, by the same stream code) must see every image B labeled, within 2 s of its
DynamoDB write, images put one a second; at shutdown each instance deletes its own updates queue and
subscription. Usage: live.py [images, default 30] [seconds between images, default 1]."""
import datetime
import json
import sys
import threading
import time
import urllib.request

from harness import App, Issuer, Moto, PREFIX, TABLE, jpeg, log, report, stop_all, wait_until, BUCKET

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 30
PACE = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
WITHIN = 2.0


class Stream:
    """The events of one stream (`text/event-stream`), each with when it arrived."""

    def __init__(self, url, token):
        request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token,
                                                       "Accept": "text/event-stream"})
        self.response = urllib.request.urlopen(request, timeout=60)
        self.events, self.ready = [], threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _lines(self):
        """Lines as they arrive: read1 returns what a chunk brought (iterating the response would
        wait for a full buffer)."""
        pending = b""
        while True:
            chunk = self.response.read1(65536)
            if not chunk:
                return
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                yield line.decode().rstrip("\r")

    def _read(self):
        name, data = None, []
        for line in self._lines():
            if not line:
                if name == "ready":
                    self.ready.set()
                elif name == "image":
                    self.events.append((time.time(), json.loads("\n".join(data))))
                name, data = None, []
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())


def updates_queues(moto):
    return [u for u in moto.sqs.list_queues(QueueNamePrefix="digiads-updates-").get("QueueUrls", [])]


def main():
    moto = Moto()
    issuer, apps = None, []
    try:
        issuer = Issuer()
        # A takes no pipeline work: its pipeline consumers read endpoints nothing is sent to
        a = App(moto, issuer, "a", extra_args=["--digiads.endpoints.events-queue=direct:no-events",
                                               "--digiads.endpoints.metadata-in=direct:no-metadata"])
        b = App(moto, issuer, "b")
        apps = [a, b]
        for app in apps:
            app.start()
        wait_until("both instances subscribed", lambda: len(updates_queues(moto)) == 2, 60)
        sns = __import__("boto3").client("sns", endpoint_url=moto.endpoint, region_name="us-east-1",
                                         aws_access_key_id="test", aws_secret_access_key="test")
        topic_arn = sns.list_topics()["Topics"][0]["TopicArn"]
        log(f"updates queues: {updates_queues(moto)}")
        stream = Stream(f"http://127.0.0.1:{a.port}/api/events", issuer.token("digiads-reader", "digiads-reader-secret"))
        if not stream.ready.wait(10):
            raise SystemExit("no ready event from instance A")
        ids = [f"live/{i:04d}.jpg" for i in range(COUNT)]
        # one image every PACE seconds, as users upload: a burst would measure moto's queueing (one
        # Python process serving every call), not the way a change travels
        for image_id in ids:
            moto.s3.put_object(Bucket=BUCKET, Key=PREFIX + image_id, Body=jpeg(image_id), ContentType="image/jpeg")
            time.sleep(PACE)

        def labeled():
            return {e["imageId"]: t for t, e in stream.events if e["status"] == "LABELED"}
        wait_until("A's stream saw every image labeled", lambda: set(ids) <= set(labeled()), 300, 0.5)
        seen = labeled()
        published = {e["imageId"]: e["at"] for _, e in stream.events if e["status"] == "LABELED"}
        delays, hops = [], []
        for image_id in ids:
            item = moto.ddb.get_item(TableName=TABLE, Key={"imageId": {"S": image_id}}, ConsistentRead=True)["Item"]
            written = int(item["listedAt"]["N"]) / 1000
            delays.append(seen[image_id] - written)
            at = datetime.datetime.fromisoformat(published[image_id].replace("Z", "+00:00")).timestamp()
            hops.append((at - written, seen[image_id] - at))
        delays.sort()
        log("write -> published (B's clock), published -> client: "
            + ", ".join(f"{a * 1000:.0f}/{b * 1000:.0f}" for a, b in hops[:10]))
        processed = [app.metric("digiads_images_processed_seconds_count") for app in apps]
        in_work = sum(1 for _, e in stream.events if e["status"] == "IN_WORK")
        for app in apps:
            app.stop()
        left = updates_queues(moto)
        subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]
        p50, worst = delays[len(delays) // 2], delays[-1]
        ok = (processed[0] == 0 and processed[1] >= COUNT and worst < WITHIN and not left and not subscriptions)
        return report("live", [
            f"images: {COUNT}, one every {PACE} s, all processed by B: images processed per instance (A, B) = {processed}",
            f"A's stream saw {len(seen)} LABELED and {in_work} IN_WORK events from B",
            f"write -> event at the client: p50 {p50 * 1000:.0f} ms, max {worst * 1000:.0f} ms (bound {WITHIN * 1000:.0f} ms)",
            f"after shutdown: updates queues left {left}, subscriptions left {len(subscriptions)}"], ok)
    finally:
        stop_all(*apps, issuer, moto)


if __name__ == "__main__":
    sys.exit(main())
