#!/usr/bin/env bash
# Builds the two base images docker/Dockerfile needs, from what this machine has, for builds where no
# image registry is reachable (CI, the container test, the reliability proofs):
#   localhost/digiads-base-jdk:25   Debian (bookworm, minbase + ca-certificates, curl, unzip, passwd)
#                                   with this machine's JDK 25 at /opt/java/openjdk: the build stages
#                                   (./mvnw fetches Maven itself)
#   localhost/digiads-base-jre:25   the same Debian with a runtime linked from that JDK (jlink: every
#                                   module but the development tools; jcmd kept for operators): the app and the local issuer
# Both put java where the public Temurin images do (JAVA_HOME=/opt/java/openjdk, on PATH), so the
# Dockerfile is the same over either base:
#   podman build -f docker/Dockerfile --build-arg BUILD_BASE=localhost/digiads-base-jdk:25 \
#     --build-arg RUNTIME_BASE=localhost/digiads-base-jre:25 .
# The machine's trust store goes in as it is (its locally added CAs, /usr/local/share/ca-certificates,
# and the JDK's cacerts), so that the build stage reaches Maven Central wherever the machine does.
# Cached: each image carries the hash of its inputs (this script, the JDK's release file, the Debian
# suite) as a label and is built again only when they change. Needs mmdebstrap (apt) and root.
#   docker/local-base/build.sh [--print]    (--print: only the build arguments)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
podman="$here/../podman/podman.sh"
JDK=${LOCAL_BASE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
SUITE=${LOCAL_BASE_SUITE:-bookworm}
PACKAGES=ca-certificates,curl,unzip,passwd
# The runtime: everything the JDK has but what only developers use (compilers, debuggers, packagers).
DEVELOPMENT_MODULES="jdk.compiler jdk.editpad jdk.graal.compiler jdk.graal.compiler.management jdk.hotspot.agent
  jdk.internal.ed jdk.internal.le jdk.internal.opt jdk.internal.vm.ci jdk.jartool jdk.javadoc jdk.jconsole jdk.jdeps
  jdk.jdi jdk.jdwp.agent jdk.jlink jdk.jpackage jdk.jshell jdk.jstatd jdk.accessibility jdk.unsupported.desktop
  jdk.incubator.vector"
JDK_IMAGE=localhost/digiads-base-jdk:25
JRE_IMAGE=localhost/digiads-base-jre:25

if [ "${1:-}" = --print ]; then
  echo "--build-arg BUILD_BASE=$JDK_IMAGE --build-arg RUNTIME_BASE=$JRE_IMAGE"
  exit 0
fi
[ -x "$JDK/bin/java" ] || { echo "no JDK at $JDK (set LOCAL_BASE_JDK)" >&2; exit 1; }
inputs=$( { cat "$0"; cat "$JDK/release" "$JDK/lib/security/cacerts"; cat /usr/local/share/ca-certificates/* 2>/dev/null; echo "$SUITE $PACKAGES"; } | sha256sum | cut -c1-16)

current() { # image has the inputs' hash?
  [ "$("$podman" image inspect --format '{{index .Labels "digiads.base.inputs"}}' "$1" 2>/dev/null)" = "$inputs" ]
}
if current "$JDK_IMAGE" && current "$JRE_IMAGE"; then
  echo "local bases up to date ($inputs): $JDK_IMAGE $JRE_IMAGE"
  exit 0
fi
command -v mmdebstrap >/dev/null || { echo "mmdebstrap is missing: apt-get install mmdebstrap" >&2; exit 1; }

work=$(mktemp -d /var/tmp/digiads-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
started=$(date +%s)
# minbase: the essential packages and apt; no documentation, no apt lists (the image installs nothing)
mmdebstrap --variant=minbase --include="$PACKAGES" --quiet \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook='cp -a /usr/local/share/ca-certificates/. "$1"/usr/local/share/ca-certificates/ 2>/dev/null || true' \
  --customize-hook='chroot "$1" update-ca-certificates >/dev/null' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  "$SUITE" "$work/rootfs"
mkdir -p "$work/rootfs/opt/java"

import() { # image, description
  tar -C "$work/rootfs" --numeric-owner -c . | "$podman" import --quiet \
    --change "ENV JAVA_HOME=/opt/java/openjdk" \
    --change "ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV LANG=C.UTF-8" \
    --change "LABEL digiads.base.inputs=$inputs" --change "LABEL org.opencontainers.image.description=$2" \
    --change 'CMD ["java", "-version"]' - "$1" >/dev/null
  echo "$1: $("$podman" image inspect --format '{{.Size}}' "$1" | awk '{printf "%.0f MB", $1/1e6}')"
}
cp -a "$JDK" "$work/rootfs/opt/java/openjdk"
# Debian's JDKs link their trust store to /etc/ssl/certs/java/cacerts: the file itself goes in
cp --remove-destination -L "$JDK/lib/security/cacerts" "$work/rootfs/opt/java/openjdk/lib/security/cacerts"
import "$JDK_IMAGE" "Debian $SUITE with the JDK $(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JDK/release")"
rm -rf "$work/rootfs/opt/java/openjdk"
modules=$("$JDK/bin/java" --list-modules | sed 's/@.*//' | grep -vxF -f <(tr -s ' \n' '\n' <<<"$DEVELOPMENT_MODULES") | paste -sd,)
"$JDK/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --output "$work/rootfs/opt/java/openjdk"
cp --remove-destination -L "$JDK/lib/security/cacerts" "$work/rootfs/opt/java/openjdk/lib/security/cacerts"
import "$JRE_IMAGE" "Debian $SUITE with a runtime linked from the JDK $(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JDK/release")"
echo "local bases built in $(( $(date +%s) - started )) s ($inputs)"
