#!/usr/bin/env bash
# Lints the CloudFormation template with cfn-lint: errors, warnings and informational findings all fail.
#   infra/lint.sh [template ...]      (default: infra/digiads.yaml)
# cfn-lint comes from PyPI into a venv under target/ (ignored by git, removed by ./mvnw clean and
# then re-created here). CFN_LINT_VENV and PYTHON override its location and the interpreter.
set -euo pipefail

CFN_LINT_VERSION="1.58.0"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${CFN_LINT_VENV:-$root/target/cfn-lint-venv}"
python="${PYTHON:-python3}"

installed=""
if [[ -x "$venv/bin/cfn-lint" ]]; then
  installed="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("cfn-lint"))' 2>/dev/null || true)"
fi
if [[ "$installed" != "$CFN_LINT_VERSION" ]]; then
  echo "Installing cfn-lint $CFN_LINT_VERSION into $venv" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION"
fi

if [[ $# -eq 0 ]]; then
  set -- "$root/infra/digiads.yaml"
fi
# Informational rules (I*) too, and a non-zero exit on any finding.
"$venv/bin/cfn-lint" --include-checks I --non-zero-exit-code informational -- "$@"
echo "cfn-lint $CFN_LINT_VERSION: no findings in $*"
