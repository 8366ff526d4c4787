"""Proof 1: kill -9 the app while images are in flight; start it again; every image ends with
exactly its metadata and the dead-letter queues stay empty. With --container the app is the image of
docker/Dockerfile in a container (podman kill -s KILL, then a new container): crash.py --container [images]."""
import sys
import time

from harness import (QUEUES, App, ContainerApp, Issuer, Moto, build_image, converged, log, mismatches, put_images,
                     queue_depth, report, result, stop_all,
                     stored_items, wait_until)

CONTAINER = "--container" in sys.argv
ARGS = [a for a in sys.argv[1:] if a != "--container"]
COUNT = int(ARGS[0]) if ARGS else 200
NAME = "container-crash" if CONTAINER else "crash"


def main():
    if CONTAINER:
        build_image()
    moto = Moto()
    issuer = app = None
    try:
        issuer = Issuer()
        app = ContainerApp(moto, issuer, NAME) if CONTAINER else App(moto, issuer, NAME)
        app.start()
        started = time.time()
        log(f"putting {COUNT} images")
        put_images(moto, COUNT, NAME)
        wait_until("some images labeled", lambda: len(stored_items(moto)) >= COUNT // 5, 120, 0.2)
        in_flight = sum(queue_depth(moto, q) for q in QUEUES)
        done_before = len(stored_items(moto))
        app.kill9()
        log(f"killed with {done_before} stored and {in_flight} messages queued or in flight")
        app.start()
        # messages the killed process had received come back after the visibility timeout (60 s)
        try:
            wait_until("metadata matches the bucket", lambda: converged(moto), 300, 2)
        except TimeoutError:
            log(f"not converged: queues {({q: queue_depth(moto, q) for q in QUEUES})}, "
                f"mismatches {len(mismatches(moto))} {mismatches(moto)[:10]}")
        problems, dlq, took = result(moto, started)
        return report(NAME, [f"images: {COUNT}", f"stored before kill -9: {done_before}",
                                f"queued or in flight at the kill: {in_flight}",
                                f"mismatches after restart: {len(problems)} {problems[:5]}",
                                f"dead-letter queues: {dlq}", f"converged after {took:.0f} s"],
                      not problems and not any(dlq.values()))
    finally:
        stop_all(app, issuer, moto)


if __name__ == "__main__":
    sys.exit(main())
