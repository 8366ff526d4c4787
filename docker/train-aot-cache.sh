#!/bin/sh
# Writes the JVM's AOT cache of the app (JEP 483, 514, 515: classes loaded and linked, method profiles)
# from a training run that starts the app all the way (beans, both Tomcats, Hawtio, every Camel route
# and AWS client) and stops it after TRAINING_SECONDS. Run in the directory of the extracted jar and
# jvm.options; docker/Dockerfile runs it in the image's own stage, bench/run.sh start on this machine.
#
# No AWS, issuer or Deals API is reachable here, and none is needed: the settings the app refuses to
# start without get placeholders, and every AWS call goes to a port where nothing listens, so it fails
# at once (the consumers log it and retry until the stop). Nothing is called, nothing is written.
#
#   train-aot-cache.sh [jar]    (default application.jar; writes app.aot next to it)
set -eu
jar=${1:-application.jar}
seconds=${TRAINING_SECONDS:-30}
rm -f app.aot training.log

status=0
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
  timeout --signal=TERM "$seconds" java @jvm.options -XX:AOTCacheOutput=app.aot -jar "$jar" \
  > training.log 2>&1 || status=$?

# timeout's 124: the app ran until stopped, as it should; anything else is a failed start
if [ "$status" -ne 124 ] || ! grep -q "Started DigiadsApplication" training.log || [ ! -s app.aot ]; then
  tail -n 60 training.log
  echo "AOT training run failed (exit $status): the app did not start, or no app.aot was written" >&2
  exit 1
fi
echo "AOT cache: $(du -h app.aot | cut -f1) from a training run of ${seconds} s"
rm -f training.log
