#!/usr/bin/env bash
# The reliability proofs that need whole processes (kill -9, two instances, a fuzzer, big uploads):
#   reliability/run.sh crash [images]      kill -9 while images are in flight, restart, compare
#   reliability/run.sh replicas [images]   two instances on the same queues
#   reliability/run.sh fuzz [examples]     schemathesis against /api/openapi.json
#   reliability/run.sh uploads [--jar J]   20 concurrent 200 MB chunked uploads against -Xmx256m
#   reliability/run.sh throttle [images]   Rekognition slow (2-5 s an image) and throttled, two instances
#     [--old-settings --jar J]             the control run (must FAIL): the consumers as before, in J, a build
#                                          of the code before the visibility settings
#   reliability/run.sh live [images]       a stream on instance A sees what instance B processed
#   reliability/run.sh container-stop [images] [--cut-off]   podman stop (SIGTERM) with images in flight (default
#                                          200), restart; --cut-off: 4 s Rekognition, 1 s drain (work released)
#   reliability/run.sh container-crash [images]  the crash proof through the container (podman kill -s KILL)
#   reliability/run.sh container-limits     --memory 512m --cpus 1 under 32 clients: ready time, heap, RSS, no OOM
#   reliability/run.sh compose              docker/compose.yaml with podman-compose: ready, upload, labeled, deals,
#                                          Prometheus as the operator, stop (the compose file's host ports)
#   reliability/run.sh moto-transactions [writes]  moto alone: a cancelled TransactWriteItems undoes concurrent writes
#   reliability/run.sh all                  (the process proofs; the container ones need podman, run them by name)
# The container proofs build docker/Dockerfile with podman over the local bases (docker/local-base/build.sh,
# cached layers) and run the image on the host's network, read-only, with a tmpfs /tmp.
# Each starts moto (with the Rekognition stand-in, WireMock from the test classpath), the local OAuth2
# issuer (from the test classes) and the production jar.
# Results: target/reliability/<proof>.txt (and the logs of moto, the issuer and each app beside them).
set -euo pipefail
cd "$(dirname "$0")/.."
# the harness starts `java`: JAVA_HOME's (JDK 25), as ./mvnw uses
export PATH="${JAVA_HOME:+$JAVA_HOME/bin:}$PATH"
[ -x .venv-moto/bin/python ] || python3 src/test/moto/install_moto.py .venv-moto "$(sed -n 's:.*<moto.version>\(.*\)</moto.version>.*:\1:p' pom.xml)"
{ ls target/digiads-*.jar && ls target/test-classes/digiads/local/LocalIssuer.class; } >/dev/null 2>&1 \
  || ./mvnw -q -B -DskipTests package
# the local issuer runs from the test classes, on the test classpath
mkdir -p target/reliability
[ target/reliability/test-classpath.txt -nt pom.xml ] \
  || ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/reliability/test-classpath.txt
proof=${1:-all}; shift || true
if [ "$proof" = fuzz ] || [ "$proof" = all ]; then
  if [ ! -x target/schemathesis-venv/bin/schemathesis ]; then
    python3 -m venv target/schemathesis-venv
    target/schemathesis-venv/bin/pip -q --disable-pip-version-check install "schemathesis==4.32.5"
  fi
fi
cd reliability
case "$proof" in
  crash|replicas|fuzz|uploads|throttle|live) ../.venv-moto/bin/python "$proof.py" "$@" ;;
  container-stop|container-limits|compose|moto-transactions) ../.venv-moto/bin/python "${proof//-/_}.py" "$@" ;;
  container-crash) ../.venv-moto/bin/python crash.py --container "$@" ;;
  all) rc=0; for p in crash replicas fuzz uploads throttle live; do ../.venv-moto/bin/python "$p.py" || rc=1; done; exit $rc ;;
  *) echo "usage: reliability/run.sh crash|replicas|fuzz|uploads|throttle|live|container-stop|container-crash|container-limits|compose|moto-transactions|all [n]" >&2; exit 2 ;;
esac
