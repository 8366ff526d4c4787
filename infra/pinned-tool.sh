# Sourced by infra/lint.sh and infra/checkov.sh: installs a pinned PyPI tool into a venv of its own
# (under target/, ignored by git, removed by ./mvnw clean and then re-created) unless that venv
# already holds exactly that version. PYTHON overrides the interpreter. A lock next to the venv lets
# the build install it in the background (infra/install-tools.sh) while a later use waits for it.
#   pinned_tool PACKAGE VERSION VENV
pinned_tool() {
  local package="$1" version="$2" venv="$3" installed="" lock
  mkdir -p "$(dirname "$venv")"
  exec {lock}>"$venv.lock"
  flock "$lock"
  if [[ -x "$venv/bin/$package" ]]; then
    installed="$("$venv/bin/python" -c "import importlib.metadata as m; print(m.version('$package'))" 2>/dev/null || true)"
  fi
  if [[ "$installed" != "$version" ]]; then
    echo "Installing $package $version into $venv" >&2
    rm -rf "$venv"
    "${PYTHON:-python3}" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$package==$version"
  fi
  flock -u "$lock"
  exec {lock}>&-
}
