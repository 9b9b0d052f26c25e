#!/usr/bin/env bash
# Train a goal as the papers evaluate one: the trivariate network (N = 100), 100 epochs, one run
# per seed, test accuracy at the last epoch (no selection by validation); prints each seed's
# accuracy and the mean.
#
#   docs/studies/evaluate.sh GOAL DATASET OUT [SEEDS]
#
# GOAL: a goal as `infomorph train --goal` takes it ('(F)(C)=1, …', a named goal, or @FILE);
# the best goal of a study: infomorph search --resume STUDY --json | jq -r .best.goal
# DATASET: mnist or fashion-mnist (files found as infomorph train finds them: --data-dir via
# INFOMORPH_DATA, the cache, or Debian's dataset-fashion-mnist). OUT: a folder for the runs,
# one per seed (s1, s2, …; an interrupted run resumes). SEEDS: default "1 2 3".
# On a shared machine: nice -n 19 docs/studies/evaluate.sh … (one thread per run).
set -euo pipefail
goal="${1:?usage: evaluate.sh GOAL DATASET OUT [SEEDS]}"
dataset="${2:?usage: evaluate.sh GOAL DATASET OUT [SEEDS]}"
out="${3:?usage: evaluate.sh GOAL DATASET OUT [SEEDS]}"
seeds="${4:-1 2 3}"
cli="$(cd "$(dirname "$0")/../.." && pwd)/packages/cli/bin/infomorph.js"
mkdir -p "$out"
for seed in $seeds; do
  run="$out/s$seed"
  if [[ -f "$run/checkpoint.json" ]]; then
    node "$cli" train --resume "$run" --threads 1 --json >"$run.json"
  else
    node "$cli" train --preset trivariate --goal "$goal" --dataset "$dataset" --epochs 100 \
      --seed "$seed" --threads 1 --out "$run" --json >"$run.json"
  fi
done
node -e '
const fs = require("fs");
const [out, ...seeds] = process.argv.slice(1);
const tests = seeds.map((seed) => {
  const s = JSON.parse(fs.readFileSync(`${out}/s${seed}.json`, "utf8"));
  console.log(`seed ${seed}: test ${(100 * s.finalTest.accuracy).toFixed(2)} % at epoch ${s.finalTest.epoch}`);
  return s.finalTest.accuracy;
});
console.log(`mean: ${(100 * tests.reduce((a, b) => a + b, 0) / tests.length).toFixed(2)} %`);
' "$out" $seeds
