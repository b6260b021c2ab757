#!/usr/bin/env bash
# perf/fuzz-run.sh — a bounded long fuzz run against a fresh Tributary broker, with the broker's memory watched.
#
# Starts bin/tributary (fresh data directory, listener 127.0.0.1:$PORT), runs
#   bin/tributary-perf fuzz --frames $FRAMES --connections $CONNECTIONS
# (pipelined senders plus a canary connection timing ApiVersions every 100 ms), samples the broker's RSS
# (VmRSS), peak RSS (VmHWM) and, with jstat, its used heap every $SAMPLE_S seconds, then stops the broker
# with SIGTERM and checks it exits cleanly. Results under $OUT: fuzz.txt (the tool's progress and result
# line), memory.tsv (samples), broker.log, summary.md (RSS at start / middle / end, ERROR lines, exit).
#
# Environment knobs: FRAMES (10000000) CONNECTIONS (8) SEED (1897099386) PORT (19592) SAMPLE_S (10)
#   MAX_SECONDS (3000; the senders stop then even if frames are left, and the result line says how many went)
#   TIMEOUT_S (MAX_SECONDS + 300; the fuzz tool is killed after it and the run counts as failed)
#   HEAP_OPTS (-Xms32m -Xmx1g, the bin/tributary default) DATA (/tmp/tributary-fuzz-run)
#   OUT (<repo>/perf-results/fuzz-<stamp>)
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
FRAMES=${FRAMES:-10000000}
CONNECTIONS=${CONNECTIONS:-8}
SEED=${SEED:-1897099386}
PORT=${PORT:-19592}
SAMPLE_S=${SAMPLE_S:-10}
MAX_SECONDS=${MAX_SECONDS:-3000}
TIMEOUT_S=${TIMEOUT_S:-$((MAX_SECONDS + 300))}
DATA=${DATA:-/tmp/tributary-fuzz-run}
OUT=${OUT:-$REPO/perf-results/fuzz-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
rm -rf "$DATA"

TRIBUTARY_HEAP_OPTS=${HEAP_OPTS:--Xms32m -Xmx1g} "$REPO/bin/tributary" "$REPO/config/tributary.properties" \
  --override "listeners=PLAINTEXT://127.0.0.1:$PORT" --override "log.dirs=$DATA" >"$OUT/broker.log" 2>&1 &
LAUNCHER=$!
for _ in $(seq 1 240); do
  grep -q "Tributary started" "$OUT/broker.log" 2>/dev/null && break
  sleep 0.5
done
grep -q "Tributary started" "$OUT/broker.log" || { echo "broker did not start; see $OUT/broker.log" >&2; kill "$LAUNCHER"; exit 1; }
# the java process (bin/tributary execs java, but be safe about wrappers)
BROKER=$(pgrep -P "$LAUNCHER" java || echo "$LAUNCHER")

sample() {
  local rss hwm heap
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$BROKER/status" 2>/dev/null)
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$BROKER/status" 2>/dev/null)
  # used heap in KiB: survivor + eden + old (S0U S1U EU OU)
  heap=$(jstat -gc "$BROKER" 2>/dev/null | awk 'NR==2 {printf "%.0f", $3+$4+$6+$8}')
  printf '%s\t%s\t%s\t%s\n' "$(date -u +%s)" "${rss:-}" "${hwm:-}" "${heap:-}"
}
printf 'epoch_s\trss_kib\tpeak_rss_kib\theap_used_kib\n' >"$OUT/memory.tsv"
sample >>"$OUT/memory.tsv"
( while kill -0 "$BROKER" 2>/dev/null; do sleep "$SAMPLE_S"; sample; done ) >>"$OUT/memory.tsv" &
SAMPLER=$!

started=$(date -u +%s)
timeout "$TIMEOUT_S" "$REPO/bin/tributary-perf" fuzz --bootstrap "127.0.0.1:$PORT" --frames "$FRAMES" \
  --connections "$CONNECTIONS" --seed "$SEED" --max-seconds "$MAX_SECONDS" >"$OUT/fuzz.txt" 2>&1
FUZZ_RC=$?
ended=$(date -u +%s)
sample >>"$OUT/memory.tsv"
kill -TERM "$BROKER"
for _ in $(seq 1 120); do kill -0 "$BROKER" 2>/dev/null || break; sleep 0.5; done
wait "$LAUNCHER"; BROKER_RC=$?
# the JVM exits 143 on SIGTERM (as Kafka's does); a clean stop is the shutdown hook's last line
if [[ $BROKER_RC == 143 ]] && grep -q "Shutdown complete" "$OUT/broker.log"; then BROKER_RC=0; fi
kill "$SAMPLER" 2>/dev/null
rm -rf "$DATA"

rows=$(($(wc -l <"$OUT/memory.tsv") - 1))
row() { sed -n "$(( $1 + 1 ))p" "$OUT/memory.tsv"; }
errors=$(grep -c ' ERROR ' "$OUT/broker.log")
{
  echo "# fuzz run $(date -u +%F)"
  echo
  echo "frames requested $FRAMES, connections $CONNECTIONS, seed $SEED, $((ended - started)) s, fuzz exit $FUZZ_RC"
  echo
  echo '```'
  grep '^fuzz ' "$OUT/fuzz.txt"
  echo '```'
  echo
  echo "| sample | epoch s | RSS KiB | peak RSS KiB | heap used KiB |"
  echo "|---|---|---|---|---|"
  for i in 1 $(( (rows + 1) / 2 )) "$rows"; do
    echo "| $i of $rows | $(row "$i" | tr '\t' '|' | sed 's/|/ | /g') |"
  done
  echo
  echo "broker ERROR lines: $errors; broker exit after SIGTERM: $BROKER_RC"
} >"$OUT/summary.md"
cat "$OUT/summary.md"
[[ $FUZZ_RC == 0 && $errors == 0 && $BROKER_RC == 0 ]]
