"""Graceful shutdown through the container: `podman stop` (SIGTERM) while images are in flight. The app
stops polling, lets the exchanges in hand finish (camel.main.shutdown-timeout) or leaves their messages
to SQS, and exits by itself (143) within the grace period. A new container then takes the rest: every
image is stored exactly once with its own eTag, no dead-letter entries, and the Rekognition calls
(DetectLabels and DetectModerationLabels, counted at the stand-in) exceed one per image only by messages
that SQS redelivered (those received but not finished at the stop).

  run.sh container-stop [images]      (default 200)
"""
import os
import sys
import time

os.environ["REKOGNITION_JOURNAL"] = "1"
from harness import (QUEUES, ContainerApp, Issuer, Moto, build_image, converged, log, put_images, queue_depth,
                     report, result, stop_all, stored_items, wait_until)

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 200
LABELS, MODERATION = "RekognitionService.DetectLabels", "RekognitionService.DetectModerationLabels"


def not_visible(moto, name):
    return int(moto.sqs.get_queue_attributes(QueueUrl=moto.queue_url(name),
                                             AttributeNames=["ApproximateNumberOfMessagesNotVisible"])
               ["Attributes"]["ApproximateNumberOfMessagesNotVisible"])


def main():
    build_image()
    moto = Moto()
    issuer = first = second = None
    try:
        issuer = Issuer()
        rekognition = moto.rekognition
        first = ContainerApp(moto, issuer, "stop-first").start()
        started = time.time()
        log(f"putting {COUNT} images")
        put_images(moto, COUNT, "stop")
        wait_until("a fifth stored", lambda: len(stored_items(moto)) >= COUNT // 5, 120, 0.1)
        in_hand = {q: not_visible(moto, q) for q in QUEUES}
        queued = sum(queue_depth(moto, q) for q in QUEUES)
        stored_before = len(stored_items(moto))
        log(f"podman stop with {stored_before} stored, {queued} queued or in flight, in hand {in_hand}")
        first.stop()
        stored_at_exit = len(stored_items(moto))
        in_hand_after = {q: not_visible(moto, q) for q in QUEUES}
        log(f"exited {first.exit_code} after {first.stop_seconds:.1f} s; {stored_at_exit} stored; "
            f"still invisible after the exit {in_hand_after}")
        calls_first = rekognition.count(LABELS), rekognition.count(MODERATION)
        second = ContainerApp(moto, issuer, "stop-second").start()
        wait_until("metadata matches the bucket", lambda: converged(moto), 300, 1)
        problems, dlq, took = result(moto, started)
        labels, moderation = rekognition.count(LABELS), rekognition.count(MODERATION)
        items = stored_items(moto)
        extra = labels - COUNT
        ok = (not problems and not any(dlq.values()) and first.exit_code == 143 and first.stop_seconds < first.grace
              and len(items) == COUNT and 0 <= extra <= sum(in_hand_after.values()))
        return report("container-stop", [
            f"images: {COUNT}", f"stored at the stop: {stored_before}; queued or in flight: {queued}; "
                                f"received, not finished (not visible) at the stop: {in_hand}",
            f"podman stop: exit {first.exit_code} after {first.stop_seconds:.1f} s (grace {first.grace} s); "
            f"stored at the exit: {stored_at_exit} (+{stored_at_exit - stored_before} finished in the drain)",
            f"messages left invisible at the exit (SQS redelivers them after the visibility timeout): {in_hand_after}",
            f"Rekognition calls: DetectLabels {labels} (before the restart {calls_first[0]}), "
            f"DetectModerationLabels {moderation} (before {calls_first[1]}); beyond one per image: {extra}",
            f"items in the table: {len(items)}; mismatches: {len(problems)} {problems[:5]}",
            f"dead-letter queues: {dlq}", f"second container ready in {second.ready_seconds:.1f} s; "
                                          f"converged {took:.0f} s after the first put"], ok)
    finally:
        stop_all(second, first, issuer, moto)


if __name__ == "__main__":
    sys.exit(main())
