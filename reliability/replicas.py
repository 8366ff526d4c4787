"""Proof 2: two instances on the same queues, 1,000 images: items == objects, no Rekognition work
beyond one DetectLabels and one DetectModerationLabels call per image (plus redeliveries, which are
reported), dead-letter queues empty."""
import sys
import time

from harness import App, Issuer, Moto, converged, log, put_images, report, result, stop_all, wait_until

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 1000


def main():
    moto = Moto()
    issuer, apps = None, []
    try:
        issuer = Issuer()
        apps = [App(moto, issuer, "a"), App(moto, issuer, "b")]
        for app in apps:
            app.start()
        started = time.time()
        log(f"putting {COUNT} images")
        put_images(moto, COUNT, "replicas")
        wait_until("metadata matches the bucket", lambda: converged(moto), 600, 2)
        problems, dlq, took = result(moto, started)
        calls = [app.metric("digiads_rekognition_calls_total") for app in apps]
        moderation = [app.metric("digiads_rekognition_moderation_calls_total") for app in apps]
        processed = [app.metric("digiads_images_processed_seconds_count") for app in apps]
        return report("replicas", [f"images: {COUNT}", f"Rekognition calls per instance: {calls} (sum {sum(calls):.0f})",
                                   f"DetectModerationLabels calls per instance: {moderation} (sum {sum(moderation):.0f})",
                                   f"images processed per instance: {processed}",
                                   f"mismatches: {len(problems)} {problems[:5]}", f"dead-letter queues: {dlq}",
                                   f"converged after {took:.0f} s ({COUNT / took:.1f} images/s)"],
                      not problems and not any(dlq.values()) and sum(calls) >= COUNT
                      and sum(calls) <= sum(processed) and COUNT <= sum(moderation) <= sum(processed))
    finally:
        stop_all(*apps, issuer, moto)


if __name__ == "__main__":
    sys.exit(main())
