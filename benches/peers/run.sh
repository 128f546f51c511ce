#!/usr/bin/env bash
# Both peers on resettle's exported model OUTDIR/model.mps (+ OUTDIR/model.mps.objectives.csv,
# as `resettle plan --write-model OUTDIR/model.mps` or benches/goal-table.sh writes them):
# HiGHS (highspy) with its interior point method (what resettle uses) and with its default
# choice (dual simplex), and SCIP (PySCIPOpt, SoPlex), each replaying the lexicographic stages,
# under a time limit of PEERS_TIME_LIMIT seconds (default 600) on the total. Writes
# OUTDIR/peer-NAME.json (the JSON line of each run, NAME highs-ipm, highs or scip) and
# OUTDIR/peer-NAME.log (all its lines). Exits non-zero if a peer failed (a time limit is no
# failure: its JSON says "time_limit").
#
#   benches/peers/run.sh OUTDIR
set -euo pipefail
out=$(cd "${1:?usage: benches/peers/run.sh OUTDIR}" && pwd)
cd "$(dirname "$0")/../.."
venv=${PEERS_VENV:-target/peers-venv}
PEERS_VENV=$venv benches/peers/setup.sh
limit=${PEERS_TIME_LIMIT:-600}
failed=0
for peer in highs-ipm highs scip; do
  solver=${peer%-ipm}
  method=default
  if [ "$peer" = highs-ipm ]; then method=ipm; fi
  echo "peer $peer (time limit ${limit} s)"
  if ! "$venv/bin/python" benches/peers/lexicographic.py "$out/model.mps" \
    "$out/model.mps.objectives.csv" --solver "$solver" --method $method --time-limit "$limit" \
    | tee "$out/peer-$peer.log"; then
    failed=1
  fi
  grep '^{"solver"' "$out/peer-$peer.log" > "$out/peer-$peer.json" \
    || echo "{\"solver\": \"$peer\", \"status\": \"error\"}" > "$out/peer-$peer.json"
done
exit $failed
