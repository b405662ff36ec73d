#!/usr/bin/env bash
# Nights 1 and 2 of the 10,000-article base, this checkout's build against an older commit's,
# interleaved in one sitting: on a shared machine whose speed drifts by 2–3× between sittings,
# only a same-sitting ratio says what the code changed.
#
#   npm run bench:against -- [COMMIT] [REPETITIONS]
#   AGAINST_STORES=5 npm run bench:against -- [COMMIT] [REPETITIONS]   (a chain of 5 stores)
#
# COMMIT defaults to 893ece0, the last commit before issue 17's work (the batch that re-read
# three years of sales every night). Each build generates its own base with its own
# `optiflow demo` (same seed, same rows), then each repetition runs, in this order, the old
# night 1, the new night 1 (`--full`), the old night 2, the new night 2, each in its own
# process (bench/batch-child). Writes bench/AGAINST-COMMIT-RESULTS.md, or with AGAINST_STORES
# above 1 bench/AGAINST-COMMIT-CHAIN-RESULTS.md (its bases take 7 GB each, four of them).
set -euo pipefail
commit=${1:-893ece0}
repetitions=${2:-2}
stores=${AGAINST_STORES:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.bench-work/against"
tree="$work/tree"
out="$root/bench/AGAINST-COMMIT-RESULTS.md"
if [ "$stores" -gt 1 ]; then out="$root/bench/AGAINST-COMMIT-CHAIN-RESULTS.md"; fi
[ -f "$root/dist/bench/batch-child.js" ] || { echo "build first: npm run build" >&2; exit 1; }

# The worktree and the four bases (1.4 GB each) go when the script ends, however it ends.
cleanup() {
  git -C "$root" worktree remove --force "$tree" 2> /dev/null || true
  rm -f "$work"/*.db "$work"/*.db-*
}
trap cleanup EXIT
mkdir -p "$work"
cleanup
git -C "$root" worktree add --detach --force "$tree" "$commit" > /dev/null
ln -s "$root/node_modules" "$tree/node_modules"
echo "bench:against: building $commit" >&2
(cd "$tree" && npx tsc -p tsconfig.build.json)

generate() { # $1: checkout, $2: base path
  rm -f "$2" "$2"-*
  (cd "$1" && node bin/optiflow.js demo --db "$2" --articles 10000 --stores "$stores" --today 2026-11-25 --json > /dev/null 2>&1)
}
night() { # $1: checkout, $2: base, $3: today, $4: mode → "seconds peakMB published step2Seconds steps4and5Seconds"
  (cd "$1" && node dist/bench/batch-child.js "$2" "$3" $4) |
    node -e 'let s="";process.stdin.on("data",(d)=>{s+=d}).on("end",()=>{const r=JSON.parse(s);const at=(k)=>r.steps.find((x)=>x.step===k);const f=at("2");const q=[at("4"),at("5")].reduce((n,x)=>n+(x?x.seconds:NaN),0);console.log(`${r.seconds.toFixed(1)} ${Math.round(r.maxRssMb)} ${r.published} ${f?f.seconds.toFixed(1):"NaN"} ${q.toFixed(2)}`)})'
}

echo "bench:against: generating both bases" >&2
generate "$tree" "$work/old-base.db"
generate "$root" "$work/new-base.db"
started=$(date +%s)
rows=""
for rep in $(seq 1 "$repetitions"); do
  echo "bench:against: repetition $rep/$repetitions" >&2
  cp "$work/old-base.db" "$work/old.db"; rm -f "$work/old.db"-*
  cp "$work/new-base.db" "$work/new.db"; rm -f "$work/new.db"-*
  # On disk before the nights start: the kernel's writeback of 2 × 1.4 GB must not overlap a
  # timed night's reading.
  sync "$work/old.db" "$work/new.db"
  read -r o1 om1 op1 os1 oq1 <<< "$(night "$tree" "$work/old.db" 2026-11-25 full)"
  read -r n1 nm1 np1 ns1 nq1 <<< "$(night "$root" "$work/new.db" 2026-11-25 full)"
  read -r o2 om2 op2 _ oq2 <<< "$(night "$tree" "$work/old.db" 2026-11-26 "")"
  read -r n2 nm2 np2 _ nq2 <<< "$(night "$root" "$work/new.db" 2026-11-26 "")"
  ratio1=$(node -e "console.log(($n1/$o1).toFixed(2))")
  ratios=$(node -e "console.log(($ns1/$os1).toFixed(2))")
  ratio2=$(node -e "console.log(($n2/$o2).toFixed(2))")
  rows+="| $rep | $o1 ($om1 MB) | $n1 ($nm1 MB) | **$ratio1** | $os1 | $ns1 | **$ratios** | $o2 ($om2 MB) | $n2 ($nm2 MB) | **$ratio2** | $oq1 / $nq1 | $oq2 / $nq2 | $op1/$np1/$op2/$np2 |"$'\n'
done
minutes=$(node -e "console.log(((Date.now()/1000-$started)/60).toFixed(1))")
head=$(git -C "$root" rev-parse --short HEAD)
dirty=$(git -C "$root" status --porcelain --untracked-files=no | grep -q . && echo " plus uncommitted changes" || true)
{
  echo "# Nights against an older commit, in one sitting"
  echo
  prefix=$([ "$stores" -gt 1 ] && echo "AGAINST_STORES=$stores " || true)
  echo "Produced by \`${prefix}npm run bench:against -- $commit $repetitions\` on $(date -u +%F) ($minutes minutes of nights); this file is overwritten on each run."
  echo "Old: $commit. New: $head$dirty (this checkout's dist). 10,000 articles × $stores store(s) × 3 years, each build's own \`optiflow demo\` (seed 42, --today 2026-11-25);"
  echo "night 1 = 2026-11-25 (the new build with \`--full\`), night 2 = 2026-11-26; each night in its own process, wall seconds (peak RSS);"
  echo "step 2 = night 1's sales forecasting (reading the history, forecasting, writing), from the batch's own step timings;"
  echo "steps 4 + 5 = the suggested quantities and the forecasts' performance (old / new), per night."
  echo
  echo "| repetition | old night 1 s | new night 1 s | new / old | old step 2 s | new step 2 s | new / old | old night 2 s | new night 2 s | new / old | night 1 steps 4 + 5 s: old / new | night 2 steps 4 + 5 s: old / new | published |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf "%s" "$rows"
} > "$out"
cat "$out"
