#!/usr/bin/env bash
# Installs the pinned linters (cfn-lint, checkov) into their venvs under target/, both at once. The
# build starts this in the background at its first phase, so the installs overlap compiling and the
# tests; infra/lint.sh and infra/checkov.sh wait for them (a lock per venv) when verify gets to them.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/infra/lint.sh" --install-only & lint=$!
bash "$root/infra/checkov.sh" --install-only & checkov=$!
status=0
wait "$lint" || status=$?
wait "$checkov" || status=$?
exit "$status"
