#!/usr/bin/env bash
# one.sh SYSTEM OUT : workload e once against SYSTEM (base|after1|after2 = Tributary from that copy, artemis)
S=$1; OUT=$2; ARGS=(--workloads e --messages 20000 --timeout 60 --warmup 5000)
A=/work/shared/anchors/jms
if [ "$S" = artemis ]; then
  mkdir -p "$OUT"; ADATA=$(mktemp -d /tmp/jmstxn-artemis-XXXXXX); rmdir "$ADATA"
  "$A/artemis.sh" start 61636 "$ADATA" > "$OUT/artemis-start.txt" 2>&1
  RESULTS_DIR=$OUT RUN_ID=artemis BROKER_PID=$(cat "$ADATA/artemis.pid") "$A/bench.sh" --url tcp://127.0.0.1:61636 "${ARGS[@]}" > "$OUT/artemis-console.txt" 2>&1
  "$A/artemis.sh" stop "$ADATA" >> "$OUT/artemis-start.txt" 2>&1; rm -rf "$ADATA"
else
  SKIP_BUILD=1 SKIP_ARTEMIS=1 /tmp/jmstxn/$S/perf/compare-jms-with-artemis.sh "$OUT" "${ARGS[@]}" > "$OUT.log" 2>&1
fi
