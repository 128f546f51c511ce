#!/usr/bin/env bash
# Issue 13's goal table, every row in one run on this machine: the national plan of 26 and 52
# weeks, under an escort limit of 500 moves a week, and the scaling series (--scale 0.25, 0.5,
# 1, 2), each end to end (read, build, solve, write) with its wall time and peak memory
# (GNU time). Also writes the national model for the peers (benches/peers/run.sh).
#
#   benches/goal-table.sh OUT        # after `cargo build --release`
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: benches/goal-table.sh OUT}
bin=./target/release/resettle
mkdir -p "$out"
row() { # name, then the plan's arguments
  local name=$1; shift
  /usr/bin/time -f "$name wall_s=%e peak_kb=%M" -o "$out/$name.time" \
    $bin plan --data data --start 2014-09-01 --quiet --out "$out/$name" "$@" > "$out/$name.summary"
  cat "$out/$name.time"
}
for scale in 0.25 0.5 1.0 2.0; do
  $bin generate --data data --seed 7 --scale $scale --start 2014-09-01 --weeks 52 \
    --out "$out/input-$scale" > /dev/null
done
nat=(--population "$out/input-1.0/population.csv" --receptions "$out/input-1.0/receptions.csv")
row national-26 "${nat[@]}"
row national-52 "${nat[@]}" --horizon 52
row national-escort-500 "${nat[@]}" --max-moves-per-week 500
for scale in 0.25 0.5 2.0; do
  row "scale-$scale" --population "$out/input-$scale/population.csv" \
    --receptions "$out/input-$scale/receptions.csv"
done
$bin plan --data data --start 2014-09-01 --quiet "${nat[@]}" --time-limit 1 \
  --out "$out/model-plan" --write-model "$out/model.mps" > /dev/null
echo "model for the peers: $out/model.mps"
