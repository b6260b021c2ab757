#!/usr/bin/env bash
# Before/after produce + consume through the Kafka listener: the broker at b340900 (main, before decision 0048)
# and at the lazyidx branch, alternating order each round, same client (tributary-perf of the branch).
#   ROUNDS=3 RECORDS=300000 lazyidx-bench.sh OUTDIR
set -u
OUT=$1; mkdir -p "$OUT"
ROUNDS=${ROUNDS:-3}; RECORDS=${RECORDS:-300000}
PERF=/work/wt/lazyidx/bin/tributary-perf
declare -A REPO=([before]=/tmp/lazyidx-before [after]=/work/wt/lazyidx)
PORT=19392
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 )); then order="before after"; else order="after before"; fi
  for side in $order; do
    data=$(mktemp -d /tmp/lazyidx-data.XXXX)
    "${REPO[$side]}/bin/tributary" --override log.dirs="$data" --override listeners=PLAINTEXT://127.0.0.1:$PORT \
      --override log.segment.bytes=8388608 >"$OUT/broker-$side-$round.log" 2>&1 &
    pid=$!
    for i in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.5; done
    topic=bench-$side-$round
    "$PERF" produce --bootstrap 127.0.0.1:$PORT --topic $topic --partitions 6 --records $RECORDS --acks all \
      --out "$OUT" --label produce-$side-$round >"$OUT/produce-$side-$round.txt" 2>/dev/null
    fds_after_produce=$(ls /proc/$pid/fd | wc -l)
    segs=$(ls "$data"/$topic-*/ | grep -c '\.log$')
    "$PERF" consume --bootstrap 127.0.0.1:$PORT --topic $topic --records $RECORDS \
      --out "$OUT" --label consume-$side-$round >"$OUT/consume-$side-$round.txt" 2>/dev/null
    fds_after_consume=$(ls /proc/$pid/fd | wc -l)
    echo "$side round $round: segments $segs, broker fds after produce $fds_after_produce, after consume $fds_after_consume, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/fds.txt"
    kill $pid; wait $pid 2>/dev/null
    rm -rf "$data"
  done
done
