#!/usr/bin/env bash
# Scans the deployment files with checkov (security and configuration policies): infra/ (the
# CloudFormation template) and docker/ (Dockerfile, compose.yaml). Any failed check fails the script.
#   infra/checkov.sh [directory ...]      (default: infra docker)
# checkov comes from PyPI into a venv under target/ (ignored by git, removed by ./mvnw clean and then
# re-created here), as infra/lint.sh does for cfn-lint. CHECKOV_VENV and PYTHON override its location
# and the interpreter.
#
# A check that does not apply is skipped where it applies, with the reason, in the file it concerns:
# CloudFormation `Metadata: checkov: skip: [{id: ..., comment: ...}]` on the resource, Dockerfile and
# compose `# checkov:skip=ID: reason`. No skip is configured here: the list of skips is the files.
set -euo pipefail

CHECKOV_VERSION="3.3.30"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${CHECKOV_VENV:-$root/target/checkov-venv}"
source "$root/infra/pinned-tool.sh"
pinned_tool checkov "$CHECKOV_VERSION" "$venv"
[[ "${1:-}" == "--install-only" ]] && exit 0
if [[ $# -eq 0 ]]; then
  set -- "$root/infra" "$root/docker"
fi
args=()
for dir in "$@"; do
  args+=(--directory "$dir")
done
# The frameworks that apply to these files: the template, the Dockerfile, and secrets in any file
# (compose.yaml included; checkov has no policies of its own for compose files). Offline: no
# Bridgecrew/Prisma platform, no download of external policies. --compact prints failed checks
# without code blocks, --quiet leaves out the passed ones.
"$venv/bin/checkov" "${args[@]}" \
  --framework cloudformation dockerfile secrets \
  --skip-download --compact --quiet \
  --output cli
echo "checkov $CHECKOV_VERSION: no failed checks in $*"
