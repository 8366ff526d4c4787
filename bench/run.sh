#!/usr/bin/env bash
# The benchmark suite of digiads, end to end: builds the app jar, starts moto, WireMock (the Deals API),
# the project's local OAuth2 issuer (src/test/java/digiads/local/LocalIssuer.java) and the app on free
# local ports, measures, stops everything, and writes docs/benchmarks.md and docs/bench-*.png.
#
#   bench/run.sh                  full run (about 12 minutes)
#   BENCH_QUICK=1 bench/run.sh    smoke run (about 3 minutes; report in bench/target/run/quick/)
#   BENCH_SKIP_BUILD=1 ...        reuse bench/target/digiads-app.jar, target/test-classes and
#                                 bench/target/issuer.classpath
#
# Every duration and size has a BENCH_* variable: see bench/src/main/java/digiads/bench/Config.java.
set -euo pipefail
cd "$(dirname "$0")/.."

moto_version=$(sed -n 's:.*<moto.version>\(.*\)</moto.version>.*:\1:p' pom.xml | head -1)
if [ ! -x .venv-moto/bin/moto_server ]; then
  python3 src/test/moto/install_moto.py .venv-moto "${moto_version:-5.2.5}"
fi

mkdir -p bench/target
if [ "${BENCH_SKIP_BUILD:-0}" != "1" ] || [ ! -f bench/target/digiads-app.jar ] \
    || [ ! -f target/test-classes/digiads/local/LocalIssuer.class ] || [ ! -f bench/target/issuer.classpath ]; then
  # package compiles the test classes too (-DskipTests only skips running them): target/test-classes holds
  # the local issuer, which the suite runs with target/classes and the test-scope class path written here
  echo "Building the app jar and the local issuer's class path (./mvnw -q -DskipTests package dependency:build-classpath)"
  ./mvnw -q -DskipTests package dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=bench/target/issuer.classpath
  # a copy, so that a rebuild of target/ during the run cannot change the jar under test
  cp target/digiads-0.1.0-SNAPSHOT.jar bench/target/digiads-app.jar
fi

echo "Building and running the suite (bench/pom.xml)"
exec ./mvnw -q -f bench/pom.xml compile exec:exec
