#!/bin/sh
# Writes the JVM's AOT cache of the app (JEP 483, 514, 515: classes loaded and linked, method profiles)
# from a training run that starts the app all the way (beans, both Tomcats, Hawtio, every Camel route
# and AWS client) and stops it (see below). Run in the directory of the extracted jar and
# jvm.options; docker/Dockerfile runs it in the image's own stage, bench/run.sh start on this machine.
#
# No AWS, issuer or Deals API is reachable here, and none is needed: the settings the app refuses to
# start without get placeholders, and every AWS call goes to a port where nothing listens, so it fails
# at once (the consumers log it and retry until the stop). Nothing is called, nothing is written.
#
#   train-aot-cache.sh [jar]    (default application.jar; writes app.aot next to it)
# The run is stopped (SIGTERM, as the container's stop) TRAINING_SECONDS_AFTER_START (10) seconds after
# the app says it has started, so the routes' first polls and failed calls are in the profile too; a
# start that takes longer than TRAINING_SECONDS (180) fails the build.
set -eu
jar=${1:-application.jar}
seconds=${TRAINING_SECONDS:-180}
after_start=${TRAINING_SECONDS_AFTER_START:-10}
rm -f app.aot training.log
# The run's temporary files (Tomcat's, Camel's spool) in a directory of its own, removed afterwards: in
# the image a root-owned /tmp/camel would be copied into the container's tmpfs and refuse the app.
tmp=$(mktemp -d)

DIGIADS_SECURITY_ISSUER_URI=http://training.invalid \
DIGIADS_SECURITY_JWK_SET_URI=http://training.invalid/oauth2/jwks \
DIGIADS_PAGE_AUTHORIZATION_URI=http://training.invalid/oauth2/authorize \
DIGIADS_PAGE_TOKEN_URI=http://training.invalid/oauth2/token \
DIGIADS_PAGE_JWK_SET_URI=http://training.invalid/oauth2/jwks \
DIGIADS_PAGE_USER_INFO_URI=http://training.invalid/userinfo \
DIGIADS_DEALS_API_KEY=training SPRING_SECURITY_USER_PASSWORD=training \
DIGIADS_AWS_ENDPOINT_OVERRIDE=http://127.0.0.1:9 DIGIADS_AWS_REGION=us-east-1 \
DIGIADS_AWS_ACCESS_KEY_ID=training DIGIADS_AWS_SECRET_ACCESS_KEY=training \
SERVER_PORT=0 MANAGEMENT_SERVER_PORT=0 \
  java @jvm.options -XX:AOTCacheOutput=app.aot -Djava.io.tmpdir="$tmp" -jar "$jar" > training.log 2>&1 &
pid=$!

started=no
waited=0
while [ "$waited" -lt "$seconds" ] && kill -0 "$pid" 2>/dev/null; do
  if grep -q "Started DigiadsApplication" training.log; then started=yes; break; fi
  sleep 1; waited=$((waited + 1))
done
[ "$started" = yes ] && sleep "$after_start"
kill -TERM "$pid" 2>/dev/null || true
status=0
wait "$pid" || status=$?
rm -rf "$tmp"

# the JVM writes app.aot as it exits on SIGTERM (143); anything else, or no start, is a failed training
if [ "$started" != yes ] || [ "$status" -ne 143 ] || [ ! -s app.aot ]; then
  tail -n 60 training.log
  echo "AOT training run failed (exit $status, started: $started): the app did not start, or no app.aot was written" >&2
  exit 1
fi
echo "AOT cache: $(du -h app.aot | cut -f1) from a training run that started in ${waited} s and ran ${after_start} s more"
rm -f training.log
