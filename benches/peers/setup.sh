#!/usr/bin/env bash
# The peers' Python: a virtualenv at ${PEERS_VENV:-target/peers-venv} (relative to the
# repository) with pinned highspy and pyscipopt from PyPI (wheels that carry HiGHS, and SCIP
# with SoPlex). Idempotent: an existing venv with the pinned versions is left as it is.
#
#   benches/peers/setup.sh        # then $PEERS_VENV/bin/python benches/peers/lexicographic.py ...
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${PEERS_VENV:-target/peers-venv}
pins=(highspy==1.16.0 pyscipopt==6.3.0)
if ! [ -x "$venv/bin/python" ]; then
  if ! python3 -m venv "$venv"; then
    # Debian's python3 has venv in a package of its own.
    rm -rf "$venv"
    [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null || { echo "need python3-venv" >&2; exit 1; }
    apt-get update -qq && apt-get install -y -qq python3-venv
    python3 -m venv "$venv"
  fi
fi
frozen=$("$venv/bin/python" -m pip freeze --disable-pip-version-check)
for pin in "${pins[@]}"; do
  grep -qixF "$pin" <<<"$frozen" \
    || { "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}"; break; }
done
"$venv/bin/python" -c 'import highspy, pyscipopt' # both load
echo "peers venv: $venv (${pins[*]})"
