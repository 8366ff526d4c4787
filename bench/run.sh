#!/usr/bin/env bash
# The benchmark suite of digiads, end to end: builds the app jar, starts moto, WireMock (the Deals API),
# the project's local OAuth2 issuer (src/test/java/digiads/local/LocalIssuer.java) and the app on free
# local ports, measures, stops everything, and writes docs/benchmarks.md and docs/bench-*.png.
#
#   bench/run.sh                  full run (about 15 minutes); docs/benchmarks.md, docs/bench-results.json; every
#                                 phase runs DynamoDB on dynalite (npm, installed into bench/target/dynalite)
#   bench/run.sh search           find-by-label on 1,000 and 100,000 indexed images, the app's DynamoDB on
#                                 dynalite (npm, installed into bench/target/dynalite); docs/bench-search.md
#   bench/run.sh streams          1,000 open event streams on one instance; docs/bench-streams.md
#   bench/run.sh start            start to ready of the jar, the extracted jar and the extracted jar with the
#                                 JVM's AOT cache (the image's form); docs/bench-start.md
#   bench/run.sh labeler          the local labeler's latency per image on one core (the real model behind
#                                 DetectLabels); docs/bench-labeler.md
#   bench/run.sh pipeline-labels  the local run's pipeline, images/s with the model and with moto's constant labels
#                                 (docs/bench-labeler.md, its second table)
#   bench/run.sh floor            one GetItem (each SDK HTTP client) and one Deals GET, client on one core against a
#                                 static server on the other; and against moto; docs/bench-floor.md
#   BENCH_QUICK=1 bench/run.sh    smoke run (about 3 minutes; report in bench/target/run/quick/)
#   BENCH_PHASES=latency,openloop bench/run.sh
#                                 some phases only (latency, openloop, cascade, pipeline, footprint, profile;
#                                 openloop takes its rates from latency); report in bench/target/run/partial/
#   BENCH_PIN=1 bench/run.sh      pins the app to core 1, the emulators and the load generator to core 0 (taskset)
#   BENCH_SKIP_BUILD=1 ...        reuse bench/target/digiads-app.jar, target/test-classes and
#                                 bench/target/issuer.classpath
#
# Every duration and size has a BENCH_* variable: see bench/src/main/java/digiads/bench/Config.java.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-full}
if [ "$mode" = labeler ] || [ "$mode" = pipeline-labels ]; then
  [ -f .venv-moto/labeler/efficientnet-lite0.onnx ] \
    || { echo "run the build once (./mvnw test-compile): it installs the labeler's model" >&2; exit 1; }
  [ "$mode" = labeler ] && exec .venv-moto/bin/python bench/labeler.py "${BENCH_LABELER_REQUESTS:-100}"
  exec .venv-moto/bin/python bench/pipeline_labels.py "${BENCH_PIPELINE_IMAGES:-200}"
fi
case "$mode" in
  full|search|streams|start|floor) ;;
  *) echo "usage: bench/run.sh [search|streams|start|floor|labeler|pipeline-labels]" >&2; exit 2 ;;
esac

moto_version=$(sed -n 's:.*<moto.version>\(.*\)</moto.version>.*:\1:p' pom.xml | head -1)
if [ ! -x .venv-moto/bin/moto_server ]; then
  python3 src/test/moto/install_moto.py .venv-moto "${moto_version:-5.2.5}"
fi

mkdir -p bench/target
if [ "${BENCH_SKIP_BUILD:-0}" != "1" ] || [ ! -f bench/target/digiads-app.jar ] \
    || [ ! -f target/test-classes/digiads/local/LocalIssuer.class ] || [ ! -f bench/target/issuer.classpath ] \
    || [ ! -f bench/target/digiads-classes.jar ]; then
  # package compiles the test classes too (-DskipTests only skips running them): target/test-classes holds
  # the local issuer, which the suite runs with target/classes and the test-scope class path written here
  echo "Building the app jar and the local issuer's class path (./mvnw -q -DskipTests package dependency:build-classpath)"
  ./mvnw -q -DskipTests package dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=bench/target/issuer.classpath
  # a copy, so that a rebuild of target/ during the run cannot change the jar under test
  cp target/digiads-0.1.0-SNAPSHOT.jar bench/target/digiads-app.jar
  # its classes as a plain jar (the search mode builds the label index's items with the app's own code)
  cp target/digiads-0.1.0-SNAPSHOT.jar.original bench/target/digiads-classes.jar
fi

if { [ "$mode" = search ] || [ "$mode" = full ]; } && [ ! -x bench/target/dynalite/node_modules/.bin/dynalite ]; then
  # a DynamoDB-compatible server whose Query is a LevelDB range read and whose writes do not copy the table
  # (Apache-2.0), local to bench/target: the DynamoDB of the search mode and of the full suite
  echo "Installing dynalite (npm) into bench/target/dynalite"
  mkdir -p bench/target/dynalite
  (cd bench/target/dynalite && npm install --no-audit --no-fund --silent "dynalite@${BENCH_DYNALITE_VERSION:-4.0.0}")
fi

echo "Building and running the suite (bench/pom.xml)"
exec ./mvnw -q -f bench/pom.xml compile exec:exec -Dbench.mode="$mode"
