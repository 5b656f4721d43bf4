#!/usr/bin/env bash
# `make notebooks`: executes every notebooks/*.ipynb headless against the
# freshly built bin/clustersim and writes the executed copies as HTML to
# out/notebooks/ (the notebooks themselves stay committed without
# outputs). Fails on the first cell that raises. Installs Debian's
# jupyter-nbconvert, python3-pandas, python3-matplotlib and
# python3-ipykernel when missing (with sudo unless root).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's packages install into Debian's Python (/usr/bin/python3), which
# the python3 kernel runs; a python3 earlier on PATH (pyenv, a venv) may
# lack them, so the checks ask /usr/bin/python3.
py=/usr/bin/python3
need=()
[ -x /usr/bin/jupyter-nbconvert ] || need+=(jupyter-nbconvert)
"$py" -c 'import pandas' 2>/dev/null || need+=(python3-pandas)
"$py" -c 'import matplotlib' 2>/dev/null || need+=(python3-matplotlib)
"$py" -c 'import ipykernel' 2>/dev/null || need+=(python3-ipykernel)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]}"
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Notebooks are committed without outputs.
"$py" - notebooks/*.ipynb <<'PY'
import json, sys
bad = [f for f in sys.argv[1:] for c in json.load(open(f))["cells"] if c.get("outputs") or c.get("execution_count")]
if bad:
    sys.exit("notebooks: commit without outputs (Clear All Outputs): " + ", ".join(sorted(set(bad))))
PY

out="$PWD/out/notebooks"
rm -rf "$out"
mkdir -p "$out/data"
export CLUSTERSIM="$PWD/bin/clustersim"
export NOTEBOOK_OUT="$out/data"
export MPLBACKEND=module://matplotlib_inline.backend_inline
export PYDEVD_DISABLE_FILE_VALIDATION=1 # quiet the debugger warnings of Debian's ipykernel
[ -x "$CLUSTERSIM" ] || { echo "notebooks: no $CLUSTERSIM (run make build)"; exit 1; }
for nb in notebooks/*.ipynb; do
  echo "== $nb"
  # Executed in notebooks/ (the kernel's working directory); any cell
  # error fails nbconvert and this script.
  /usr/bin/jupyter-nbconvert --to html --execute --ExecutePreprocessor.timeout=600 \
    --ExecutePreprocessor.kernel_name=python3 \
    --output-dir "$out" "$nb"
done
echo "notebooks: HTML in $out"
