#!/usr/bin/env bash
# run.sh OUT_DIR [ROUNDS]   — workload t of the Kafka anchor's bench.sh (1,000,000 x 1 KiB, acks=all, idempotent,
# one transaction every 100 ms) against, in turn: Tributary with transaction.version=2 (tributary-tv2, the default),
# the same build with transaction.version=1 (tributary-tv1; kafka-clients then add partitions with
# AddPartitionsToTxn and keep one epoch) and Kafka 4.4 (transaction.version 2), each on a fresh data directory;
# rounds rotate the order. The build is a copy in $AFTER (default /tmp/txperf-tv2: broker jar and lib/), so that a
# build during the run cannot change the jars under it.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../../.." && pwd)
ANCHOR=${ANCHOR:-/work/shared/anchors/kafka}
OUT=${1:?usage: run.sh OUT_DIR [ROUNDS]}; ROUNDS=${2:-1}
AFTER=${AFTER:-/tmp/txperf-tv2}
TPORT=${TPORT:-26092}; KPORT=${KPORT:-26192}; DATA=${DATA:-/tmp/txperf-bench}
JVM=(-Xms32m -Xmx1g -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m -Xss512k)
mkdir -p "$OUT"
wait_port() { local d=$(( $(date +%s) + 120 )); while ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
  kill -0 "$2" 2>/dev/null || return 1; (( $(date +%s) < d )) || return 1; sleep 0.2; done; }
run_one() { # SYSTEM ROUND
  local sys=$1 r=$2 dir=$OUT/r$2-$1 cp pid
  mkdir -p "$dir"; rm -rf "$DATA"; mkdir -p "$DATA"
  echo "$(date -u +%T) r$r $sys start [load $(cut -d' ' -f1-3 /proc/loadavg)]"
  case $sys in
    tributary-tv1|tributary-tv2)
      cp="$AFTER/lib/*:$AFTER/broker-0.1.0-SNAPSHOT.jar"
      local jfr=(); [[ -n ${JFR:-} ]] && jfr=("-XX:StartFlightRecording=filename=$dir/broker.jfr,settings=profile")
      java "${JVM[@]}" "${jfr[@]}" -cp "$cp" io.tributary.broker.Main --override "log.dirs=$DATA/log" \
        --override "listeners=PLAINTEXT://127.0.0.1:$TPORT" --override "transaction.version=${sys#tributary-tv}" >"$dir/broker.log" 2>&1 </dev/null &
      pid=$!
      wait_port "$TPORT" "$pid" || { echo "broker did not start"; kill "$pid"; return 1; }
      BROKER_PID=$pid RUN_ID=bench RESULTS_DIR=$dir WORKLOADS=t "$ANCHOR/bench.sh" "127.0.0.1:$TPORT" >"$dir/bench.out" 2>&1
      kill "$pid"; wait "$pid" ;;
    kafka)
      "$ANCHOR/kafka.sh" start "$KPORT" "$DATA" >"$dir/broker-start.log" 2>&1 || { cat "$dir/broker-start.log"; return 1; }
      pid=$(<"$DATA/kafka.pid")
      BROKER_PID=$pid RUN_ID=bench RESULTS_DIR=$dir WORKLOADS=t "$ANCHOR/bench.sh" "127.0.0.1:$KPORT" >"$dir/bench.out" 2>&1
      "$ANCHOR/kafka.sh" stop "$DATA" >>"$dir/broker-start.log" 2>&1 ;;
  esac
  rm -rf "$DATA"
  echo "$(date -u +%T) r$r $sys done  [load $(cut -d' ' -f1-3 /proc/loadavg)]"; tail -n 1 "$dir/bench/summary.tsv"
}
order=(tributary-tv2 kafka tributary-tv1)
for ((r = 1; r <= ROUNDS; r++)); do
  for ((i = 0; i < 3; i++)); do run_one "${order[(i + r - 1) % 3]}" "$r"; sleep 3; done
done
