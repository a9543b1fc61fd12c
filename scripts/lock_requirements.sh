#!/usr/bin/env bash
# Regenerate requirements.lock: install what vntopics[test,dask,bench] requires (read from
# pyproject.toml) into a fresh Python 3.11 venv and freeze it, exact versions, sorted by name.
#
#   scripts/lock_requirements.sh            resolve from scratch: the newest versions that
#                                           pyproject.toml's ranges allow
#   scripts/lock_requirements.sh --keep     the current lock as constraints: keeps every locked
#                                           version, adds packages a new requirement brings in
#   scripts/lock_requirements.sh [--keep] OUT   write OUT instead of requirements.lock
#
# vntopics itself is not built or installed (only its requirements), so the checkout is left
# untouched. Run the tests against the new lock before committing it:
#   pip install -c requirements.lock -e ".[test,dask]" && python -m pytest -q
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
keep=false
if [[ ${1:-} == --keep ]]; then
    keep=true
    shift
fi
out=${1:-$root/requirements.lock}
python=${PYTHON:-python3.11}
extras=(test dask bench)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" -m venv "$work/venv"
"$work/venv/bin/python" - "$root/pyproject.toml" "${extras[@]}" >"$work/requirements.txt" <<'EOF'
import sys
import tomllib

with open(sys.argv[1], "rb") as handle:
    project = tomllib.load(handle)["project"]
requirements = list(project["dependencies"])
for extra in sys.argv[2:]:
    requirements += project["optional-dependencies"][extra]
print("\n".join(requirements))
EOF

constraints=()
if $keep; then
    constraints=(-c "$root/requirements.lock")
fi
"$work/venv/bin/pip" install --quiet "${constraints[@]}" -r "$work/requirements.txt"
"$work/venv/bin/pip" check

{
    echo "# Exact versions for vntopics[test,dask,bench] on Python 3.11; regenerate with scripts/lock_requirements.sh"
    # --all: setuptools too (the test extra builds the wheel with it), pip is the venv's own
    "$work/venv/bin/pip" freeze --all --exclude pip --exclude vntopics | LC_ALL=C sort -t= -k1,1f
} >"$work/requirements.lock"
mv "$work/requirements.lock" "$out"
echo "wrote $out ($(grep -vc '^#' "$out") packages)"
