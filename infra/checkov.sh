#!/usr/bin/env bash
# Scans the deployment files with checkov (security and configuration policies, checkov's and the
# project's in infra/policies): infra/ (the CloudFormation template) and docker/ (Dockerfile,
# compose.yaml). Any failed check fails the script.
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
# The frameworks that apply to these files: the template, the Dockerfile, compose.yaml (checkov has no
# compose framework: the project's compose rules are checks of its generic YAML framework) and secrets
# in any file. Besides checkov's own policies, the project's: infra/policies (docs/deploy-policies.md).
# Offline: no Bridgecrew/Prisma platform, no download of external policies. The full report goes to
# target/checkov-report.txt and .json; this script prints the failed checks from the JSON and fails when
# any failed, or when a policy of infra/policies did not run (checkov only logs one it cannot load).
report="$root/target/checkov-report"
mkdir -p "$root/target"
status=0
"$venv/bin/checkov" "${args[@]}" \
  --framework cloudformation dockerfile yaml secrets \
  --external-checks-dir "$root/infra/policies" \
  --skip-download --compact \
  --output cli --output json --output-file-path "$report.txt,$report.json" || status=$?
"$venv/bin/python" - "$root/infra/policies" "$report.json" <<'PY' || status=1
import json, pathlib, re, sys
declared = {m for f in pathlib.Path(sys.argv[1]).glob("*.*") if f.suffix in (".py", ".yaml")
            for m in re.findall(r"""(?:rule\(|id: )"?(DIGIADS_[A-Z0-9_]+)""", f.read_text())}
reports = json.loads(pathlib.Path(sys.argv[2]).read_text())
reports = reports if isinstance(reports, list) else [reports]
results = lambda kind: [c for r in reports for c in r.get("results", {}).get(kind, [])]
for check in results("failed_checks"):
    lines = "-".join(map(str, check.get("file_line_range", [])))
    print(f"FAILED {check['check_id']}: {check['check_name']}\n  {check['resource']} ({check['file_path']}:{lines})")
ran = {c["check_id"] for kind in ("passed_checks", "failed_checks", "skipped_checks") for c in results(kind)}
print(f"checkov: {len(results('passed_checks'))} passed, {len(results('failed_checks'))} failed, "
      f"{len(results('skipped_checks'))} skipped (target/checkov-report.txt)")
if not declared or declared - ran:
    sys.exit(f"checkov: these policies of infra/policies did not run: {sorted(declared - ran) or 'none found'}")
sys.exit(1 if results("failed_checks") else 0)
PY
if [[ $status -ne 0 ]]; then
  echo "checkov $CHECKOV_VERSION: failed checks in $*" >&2
  exit "$status"
fi
echo "checkov $CHECKOV_VERSION: no failed checks in $*"
