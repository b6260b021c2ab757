#!/usr/bin/env bash
# run.sh OUT_DIR [ROUNDS]   (FIRST_ROUND=N to go on with round N) — transactional produce, side by side: workload t of the Kafka anchor's bench.sh (Kafka's
# ProducerPerformance: 1,000,000 x 1 KiB, acks=all, idempotent, --transaction-duration-ms 100) and then the same
# workload with Tributary's harness (tributary-perf produce --transactional-id ... --transaction-duration-ms 100,
# 1,000,000 x 1 KiB, linger.ms=5, batch.size=131072), against, in turn and each on a fresh data directory:
#   tributary-after   this branch (copy of its broker jar and lib/ in $AFTER)
#   tributary-before  main before it (copy in $BEFORE)
#   kafka             the Kafka 4.4 anchor (kafka.sh start)
# All three at transaction.version 2 (their default). Rounds rotate the order. Run inside
#   flock /tmp/tributary-perf.lock
set -uo pipefail
ANCHOR=${ANCHOR:-/work/shared/anchors/kafka}
OUT=${1:?usage: run.sh OUT_DIR [ROUNDS]}; ROUNDS=${2:-2}
AFTER=${AFTER:-/tmp/txnperf/build-after}; BEFORE=${BEFORE:-/tmp/txnperf/build-base}; TOOL=${TOOL:-/tmp/txnperf/tool}
TPORT=${TPORT:-26092}; KPORT=${KPORT:-26192}; DATA=${DATA:-/tmp/txnperf-bench}
JVM=(-Xms32m -Xmx1g -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m -Xss512k)
mkdir -p "$OUT"
load() { cut -d' ' -f1-3 /proc/loadavg; }
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
wait_port() { local d=$(( $(date +%s) + 120 )); while ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
  kill -0 "$2" 2>/dev/null || return 1; (( $(date +%s) < d )) || return 1; sleep 0.2; done; }
harness() { # SYSTEM ROUND DIR BOOTSTRAP PID
  local c0 c1 t0
  c0=$(ticks "$5"); t0=$(date +%s%N)
  timeout 600 java -Xmx1g -Djava.awt.headless=true -cp "$TOOL/*" io.tributary.perf.Main produce --bootstrap "$4" \
    --out "$3" --label t --partitions 6 --topic "harness-r$2-t" --records 1000000 --record-size 1024 --acks all \
    --linger-ms 5 --batch-size 131072 --compression none --transactional-id "harness-r$2-txn" \
    --transaction-duration-ms 100 >"$3/harness.out" 2>"$3/harness.err"
  c1=$(ticks "$5")
  printf 'harness\t%s\t%s\tp50_ms=%s\tp99_ms=%s\tcommit_p50_ms=%s\tbroker_cpu_s=%.1f\twall_s=%.1f\n' "$1" \
    "$(sed -n 's/^rec_per_s=//p' "$3/t.properties")" "$(sed -n 's/^p50_ms=//p' "$3/t.properties")" \
    "$(sed -n 's/^p99_ms=//p' "$3/t.properties")" "$(sed -n 's/^p50_ms=//p' "$3/t-commit.properties" 2>/dev/null)" \
    "$(awk -v a="$c0" -v b="$c1" 'BEGIN { print (b - a) / 100 }')" \
    "$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { print (b - a) / 1e9 }')" | tee -a "$OUT/harness.tsv"
}
run_one() { # SYSTEM ROUND
  local sys=$1 r=$2 dir=$OUT/r$2-$1 pid bs b
  mkdir -p "$dir"; rm -rf "$DATA"; mkdir -p "$DATA"
  echo "$(date -u +%T) r$r $sys start [load $(load)]"
  case $sys in
    tributary-*)
      [[ $sys == tributary-after ]] && b=$AFTER || b=$BEFORE
      java "${JVM[@]}" -cp "$b/lib/*:$b/broker.jar" io.tributary.broker.Main --override "log.dirs=$DATA/log" \
        --override "listeners=PLAINTEXT://127.0.0.1:$TPORT" >"$dir/broker.log" 2>&1 </dev/null &
      pid=$!; bs=127.0.0.1:$TPORT
      wait_port "$TPORT" "$pid" || { echo "broker did not start"; kill "$pid"; return 1; } ;;
    kafka)
      "$ANCHOR/kafka.sh" start "$KPORT" "$DATA" >"$dir/broker-start.log" 2>&1 || { cat "$dir/broker-start.log"; return 1; }
      pid=$(<"$DATA/kafka.pid"); bs=127.0.0.1:$KPORT ;;
  esac
  BROKER_PID=$pid RUN_ID=bench RESULTS_DIR=$dir WORKLOADS=t "$ANCHOR/bench.sh" "$bs" >"$dir/bench.out" 2>&1
  echo "$(date -u +%T) r$r $sys tool done [load $(load)]"; tail -n 1 "$dir/bench/summary.tsv"
  sleep 3
  harness "$sys" "$r" "$dir" "$bs" "$pid"
  case $sys in
    kafka) "$ANCHOR/kafka.sh" stop "$DATA" >>"$dir/broker-start.log" 2>&1 ;;
    *) kill "$pid"; wait "$pid" ;;
  esac
  rm -rf "$DATA"
  echo "$(date -u +%T) r$r $sys done  [load $(load)]"
}
# ORDER="tributary-after kafka" (any of the three, space-separated) runs a subset; rounds rotate it.
read -r -a order <<<"${ORDER:-tributary-after kafka tributary-before}"
for ((r = ${FIRST_ROUND:-1}; r <= ROUNDS; r++)); do
  for ((i = 0; i < ${#order[@]}; i++)); do run_one "${order[(i + r - 1) % ${#order[@]}]}" "$r"; sleep 3; done
done
