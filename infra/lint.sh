#!/usr/bin/env bash
# Lints the CloudFormation template with cfn-lint: errors, warnings and informational findings all fail.
#   infra/lint.sh [template ...]      (default: infra/digiads.yaml)
# cfn-lint comes from PyPI into a venv under target/ (ignored by git, removed by ./mvnw clean and
# then re-created here). CFN_LINT_VENV and PYTHON override its location and the interpreter.
set -euo pipefail

CFN_LINT_VERSION="1.58.0"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${CFN_LINT_VENV:-$root/target/cfn-lint-venv}"
source "$root/infra/pinned-tool.sh"
pinned_tool cfn-lint "$CFN_LINT_VERSION" "$venv"
[[ "${1:-}" == "--install-only" ]] && exit 0
if [[ $# -eq 0 ]]; then
  set -- "$root/infra/digiads.yaml"
fi
# Informational rules (I*) too, and a non-zero exit on any finding.
"$venv/bin/cfn-lint" --include-checks I --non-zero-exit-code informational -- "$@"
echo "cfn-lint $CFN_LINT_VERSION: no findings in $*"
