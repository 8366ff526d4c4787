"""Graceful shutdown through the container: `podman stop` (SIGTERM) while images are in flight, Rekognition
answering each call after a delay (1 s) so that the consumers are busy when the stop comes. The app stops
polling, finishes the messages it holds (camel.main.shutdown-timeout) and makes visible again at once those it
could not finish (digiads.aws.HeldMessages), and exits by itself (143) within the grace period. A new
container then takes the rest: every image is stored exactly once with its own eTag, no dead-letter entries,
no message left hidden by the first container after its exit, and the Rekognition calls (DetectLabels and
DetectModerationLabels, counted at the stand-in) exceed one per image at most by the messages the first
container released (SQS delivers those again: their work, cut off, is paid twice).

  run.sh container-stop [images] [--cut-off]    (default 200 images)
    --cut-off   Rekognition answers after 4 s and the first container's drain is 1 s
                (CAMEL_MAIN_SHUTDOWN_TIMEOUT=1): the work in hand at the stop is cut off and released
"""
import os
import re
import sys
import time

os.environ["REKOGNITION_JOURNAL"] = "1"
from harness import (OUT, QUEUES, ContainerApp, Issuer, Moto, build_image, converged, log, put_images, queue_depth,
                     mismatches, report, result, stop_all, stored_items, wait_until)

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
CUT_OFF = "--cut-off" in sys.argv
COUNT = int(ARGS[0]) if ARGS else 200
DELAY_MS = 4000 if CUT_OFF else 1000
DRAIN = ["CAMEL_MAIN_SHUTDOWN_TIMEOUT=1"] if CUT_OFF else []
NAME = "container-stop-cut-off" if CUT_OFF else "container-stop"
LABELS, MODERATION = "RekognitionService.DetectLabels", "RekognitionService.DetectModerationLabels"
RELEASED = re.compile(r"(\S+): released (\d+) of the (\d+) messages held at shutdown")


def not_visible(moto, name):
    return int(moto.sqs.get_queue_attributes(QueueUrl=moto.queue_url(name),
                                             AttributeNames=["ApproximateNumberOfMessagesNotVisible"])
               ["Attributes"]["ApproximateNumberOfMessagesNotVisible"])


def released(app_name):
    """What the container's log says it released at its shutdown: {queue: (released, held)}."""
    text = (OUT / f"app-{app_name}.log").read_text(errors="replace")
    return {m.group(1): (int(m.group(2)), int(m.group(3))) for m in RELEASED.finditer(text)}


def main():
    build_image()
    moto = Moto()
    issuer = first = second = None
    try:
        issuer = Issuer()
        rekognition = moto.rekognition
        rekognition.delay(DELAY_MS)
        (OUT / f"app-{NAME}-first.log").unlink(missing_ok=True)
        first = ContainerApp(moto, issuer, f"{NAME}-first", env=DRAIN).start()
        started = time.time()
        log(f"putting {COUNT} images; Rekognition answers after {DELAY_MS} ms")
        put_images(moto, COUNT, "stop")
        wait_until("a fifth stored", lambda: len(stored_items(moto)) >= COUNT // 5, 300, 0.1)
        in_hand = {q: not_visible(moto, q) for q in QUEUES}
        queued = sum(queue_depth(moto, q) for q in QUEUES)
        stored_before = len(stored_items(moto))
        paid_before = rekognition.count(LABELS)
        log(f"podman stop with {stored_before} stored, {queued} queued or in flight, in hand {in_hand}")
        first.stop()
        stored_at_exit = len(stored_items(moto))
        in_hand_after = {q: not_visible(moto, q) for q in QUEUES}
        let_go = released(f"{NAME}-first")
        released_total = sum(r for r, _ in let_go.values())
        log(f"exited {first.exit_code} after {first.stop_seconds:.1f} s; {stored_at_exit} stored; "
            f"released {let_go}; still invisible after the exit {in_hand_after}")
        calls_first = rekognition.count(LABELS), rekognition.count(MODERATION)
        rekognition.delay(0)
        second = ContainerApp(moto, issuer, f"{NAME}-second").start()
        try:
            wait_until("metadata matches the bucket", lambda: converged(moto), 300, 1)
        except TimeoutError:
            log(f"not converged: queues {({q: queue_depth(moto, q) for q in QUEUES})}, "
                f"not visible {({q: not_visible(moto, q) for q in QUEUES})}, mismatches {mismatches(moto)[:10]}")
        problems, dlq, took = result(moto, started)
        labels, moderation = rekognition.count(LABELS), rekognition.count(MODERATION)
        items = stored_items(moto)
        extra = labels - COUNT
        ok = (not problems and not any(dlq.values()) and first.exit_code == 143 and first.stop_seconds < first.grace
              and not first.oom_killed and len(items) == COUNT and not any(in_hand_after.values())
              and 0 <= extra <= released_total and (not CUT_OFF or released_total > 0))
        return report(NAME, [
            f"images: {COUNT}; Rekognition answers after {DELAY_MS} ms; "
            f"drain (camel.main.shutdown-timeout): {'1 s' if CUT_OFF else '30 s, as shipped'}",
            f"stored at the stop: {stored_before}; queued or in flight: {queued}; "
            f"received, not finished (not visible) at the stop: {in_hand}; DetectLabels paid by then: {paid_before}",
            f"podman stop: exit {first.exit_code} after {first.stop_seconds:.1f} s (grace {first.grace} s); "
            f"stored at the exit: {stored_at_exit} (+{stored_at_exit - stored_before} finished in the drain)",
            f"released at the exit (visible again at once; queue: released, held): {let_go or 'none'}",
            f"messages left invisible after the exit (SQS would redeliver them after the visibility timeout): "
            f"{in_hand_after}",
            f"Rekognition calls: DetectLabels {labels} (before the restart {calls_first[0]}), "
            f"DetectModerationLabels {moderation} (before {calls_first[1]}); DetectLabels beyond one per image: "
            f"{extra} (released messages, which SQS delivers again: {released_total})",
            f"items in the table: {len(items)}; mismatches: {len(problems)} {problems[:5]}",
            f"dead-letter queues: {dlq}", f"second container ready in {second.ready_seconds:.1f} s; "
                                          f"converged {took:.0f} s after the first put"], ok)
    finally:
        stop_all(second, first, issuer, moto)


if __name__ == "__main__":
    sys.exit(main())
