#!/bin/sh
# podman with this project's settings (docker/podman/containers.conf: runc, cgroupfs, no default
# ulimits), the one way the build, the tests and the reliability proofs call it:
#   docker/podman/podman.sh build ... | run ... | stop ...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
CONTAINERS_CONF="$here/containers.conf" exec podman --runtime runc --cgroup-manager=cgroupfs "$@"
