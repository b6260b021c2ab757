#!/usr/bin/env bash
# counts broker fsyncs (by file) and client requests (by api key) for jmsbench workload e
set -euo pipefail
ROOT=${ROOT:-/work/wt/jmstxn}
OUT=${1:-/tmp/jmstxn/count}
MSGS=${MSGS:-2000}
PORT=19593
rm -rf "$OUT" /tmp/jmstxn/data; mkdir -p "$OUT" /tmp/jmstxn/data
"$ROOT/bin/tributary" --override "listeners=PLAINTEXT://127.0.0.1:$PORT" --override "log.dirs=/tmp/jmstxn/data" > "$OUT/broker.out" 2>&1 &
TPID=$!
for _ in $(seq 1 120); do grep -q "Tributary started" "$OUT/broker.out" && break; sleep 1; done
BPID=$(pgrep -f "log.dirs=/tmp/jmstxn/data" | head -n 1)
echo "broker pid $BPID" >&2
strace -f -p "$BPID" -e trace=fdatasync,fsync -y -o "$OUT/fsync.txt" &
SPID=$!
sleep 2
PROVIDER_CP=$(ls "$ROOT"/perf/target/lib/*.jar | grep -v '/logback-' | paste -sd: -)
RESULTS_DIR=$OUT RUN_ID=bench strace -f -e trace=write,writev,sendto,sendmsg -yy -xx -s 12 -o "$OUT/client.txt" \
  /work/shared/anchors/jms/bench.sh --factory io.tributary.jms.TributaryConnectionFactory --url "127.0.0.1:$PORT" \
  --cp "$PROVIDER_CP" --workloads e --messages "$MSGS" --warmup 0 --timeout 120 > "$OUT/console.txt" 2>&1 || true
kill "$SPID" || true
kill "$BPID" || true
wait "$TPID" 2>/dev/null || true
