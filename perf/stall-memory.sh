#!/usr/bin/env bash
# perf/stall-memory.sh — issue 11's "1,000 idle connections and a stalled consumer do not grow broker memory
# without bound", as a check that can fail: starts Tributary (bin/tributary, PLAINTEXT on 127.0.0.1:$PORT, heap
# $HEAP, a fresh data directory) and runs `tributary-perf stall` against it (see StallCommand): IDLE silent
# connections, then SECONDS of a producer writing 1 KiB records while a raw connection pipelines 1 MiB Fetch
# requests and never reads. The tool measures the broker's heap after GC and its RSS (jcmd, /proc) and exits 1
# when an idle connection costs more than MAX_IDLE_KIB of heap or heap/RSS grew more than MAX_GROWTH_MIB during
# the stall's last two thirds. Results: perf-results/stall-<stamp>/ (stall.out, broker.log); exit status = the tool's.
#
# Environment knobs: PORT (25100)  IDLE (1000)  SECONDS_STALL (60)  HEAP (-Xmx512m)  MAX_IDLE_KIB (64)
#   MAX_GROWTH_MIB (64)  PRODUCE_RATE (5000 records/s)  DATA_DIR (/tmp/tributary-stall-memory)
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
PORT=${PORT:-25100}
IDLE=${IDLE:-1000}
SECONDS_STALL=${SECONDS_STALL:-60}
HEAP=${HEAP:--Xmx512m}
DATA_DIR=${DATA_DIR:-/tmp/tributary-stall-memory}
OUT=${RESULTS_ROOT:-$REPO/perf-results}/stall-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
die() { echo "stall-memory.sh: $*" >&2; exit 2; }

(cd "$REPO" && mvn -B -q -DskipTests -pl broker,perf -am package >/dev/null 2>&1) || die "the broker or perf does not build"
command -v jcmd >/dev/null || die "jcmd (a JDK) is needed on the PATH"
(( $(ulimit -n) > IDLE + 200 )) || ulimit -n $((IDLE + 1024)) 2>/dev/null || die "ulimit -n is below IDLE + 200"

rm -rf "$DATA_DIR"; mkdir -p "$DATA_DIR"
TRIBUTARY_HEAP_OPTS="-Xms64m $HEAP" nohup "$REPO/bin/tributary" "$REPO/config/tributary.properties" \
  --override "log.dirs=$DATA_DIR/log" --override "listeners=PLAINTEXT://127.0.0.1:$PORT" \
  >"$OUT/broker.log" 2>&1 </dev/null &
BROKER_PID=$!
stop() { kill -TERM "$BROKER_PID" 2>/dev/null; wait "$BROKER_PID" 2>/dev/null; rm -rf "$DATA_DIR"; }
trap stop EXIT
for ((i = 0; i < 1200; i++)); do
  grep -q "Tributary started" "$OUT/broker.log" && break
  kill -0 "$BROKER_PID" 2>/dev/null || break
  sleep 0.1
done
grep -q "Tributary started" "$OUT/broker.log" || { tail -n 30 "$OUT/broker.log" >&2; die "the broker did not start"; }

echo "uptime before: $(uptime)" | tee "$OUT/stall.out"
"$REPO/bin/tributary-perf" stall --bootstrap "127.0.0.1:$PORT" --broker-pid "$BROKER_PID" --idle "$IDLE" \
  --seconds "$SECONDS_STALL" --produce-rate "${PRODUCE_RATE:-5000}" --max-idle-kib "${MAX_IDLE_KIB:-64}" --max-growth-mib "${MAX_GROWTH_MIB:-64}" \
  2> >(tee "$OUT/stall.err" >&2) | tee -a "$OUT/stall.out"
rc=${PIPESTATUS[0]}
echo "uptime after: $(uptime)" | tee -a "$OUT/stall.out"
echo "broker peak_rss_kib=$(awk '/VmHWM/ { print $2 }' "/proc/$BROKER_PID/status")" | tee -a "$OUT/stall.out"
echo "results in $OUT (exit $rc)"
exit "$rc"
