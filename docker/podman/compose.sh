#!/usr/bin/env bash
# docker/compose.yaml with podman-compose (PyPI, pinned, in target/podman-compose-venv) and the project's
# podman settings (containers.conf beside this script), the images built locally over the local bases
# (docker/compose.local.yaml). Arguments are podman-compose's: up -d, ps, logs app, down, ...
#   DIGIADS_ADMIN_PASSWORD=... docker/podman/compose.sh up -d
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv="$root/target/podman-compose-venv"
version=1.5.0
if [ "$("$venv/bin/podman-compose" --version 2>/dev/null | sed -n 's/^podman-compose version //p')" != "$version" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" -q --disable-pip-version-check install "podman-compose==$version"
fi
"$root/docker/local-base/build.sh" >/dev/null
exec "$venv/bin/podman-compose" --podman-path "$root/docker/podman/podman.sh" \
  --podman-build-args="--network=host --format docker" \
  -f "$root/docker/compose.yaml" -f "$root/docker/compose.local.yaml" "$@"
