#!/usr/bin/env bash
# perf/compaction-vs-kafka.sh — Tributary's log cleaner and Apache Kafka 4.4's, side by side, in one run.
#
# Each round starts, in turn and each on a fresh data directory, Tributary (bin/tributary) and the Kafka
# anchor (../shared/anchors/kafka/kafka.sh), both with log.cleaner.backoff.ms=1000 and otherwise their
# default cleaner settings (one thread, 128 MiB key map, no I/O limit), and runs against each
# `bin/tributary-perf compact` (CompactCommand): the same keyed records loaded into a compacted topic not yet
# due, then made due; cleaning time is measured from the outside (DescribeLogDirs) while a fixed-rate
# acks=1 producer to another topic records its latency before and during the cleaning. Rounds alternate
# the order (odd: tributary first, even: kafka first).
#
# Results: $OUT/results.tsv (one line per round and system), $OUT/summary.md (medians and the ratios
# Tributary / Kafka), and the brokers' logs.
#
# Environment knobs (all optional):
#   ROUNDS (3)  RECORDS (2000000)  KEYS (50000)  VALUE_SIZE (200)  SEGMENT_BYTES (16777216)
#   LATENCY_RATE (2000)  TRIBUTARY_PORT (29092)  KAFKA_PORT (19092)
#   ANCHOR (<repo>/../shared/anchors/kafka, else <repo>/../../shared/anchors/kafka)  OUT (<repo>/perf-results/compaction-<stamp>)
#   DATA_ROOT (/tmp/tributary-compaction-bench)  READY_TIMEOUT_S (120)
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
ANCHOR=${ANCHOR:-$(cd "$REPO/.." && pwd)/shared/anchors/kafka}
[[ -x $ANCHOR/kafka.sh ]] || ANCHOR=$(cd "$REPO/../.." && pwd)/shared/anchors/kafka   # from a worktree under /work/wt
ROUNDS=${ROUNDS:-3}
RECORDS=${RECORDS:-2000000}
KEYS=${KEYS:-50000}
VALUE_SIZE=${VALUE_SIZE:-200}
SEGMENT_BYTES=${SEGMENT_BYTES:-16777216}
LATENCY_RATE=${LATENCY_RATE:-2000}
TRIBUTARY_PORT=${TRIBUTARY_PORT:-29092}
KAFKA_PORT=${KAFKA_PORT:-19092}
OUT=${OUT:-$REPO/perf-results/compaction-$(date +%Y%m%d-%H%M%S)}
DATA_ROOT=${DATA_ROOT:-/tmp/tributary-compaction-bench}

die() { echo "compaction-vs-kafka.sh: $*" >&2; exit 1; }
log() { echo "### $*" | tee -a "$OUT/run.log" >&2; }

[[ -x $ANCHOR/kafka.sh ]] || die "Kafka anchor not found at $ANCHOR (set ANCHOR)"
mkdir -p "$OUT" "$DATA_ROOT" || die "cannot create $OUT"
(cd "$REPO" && mvn -B -q -DskipTests -pl broker,perf -am package >/dev/null 2>&1) || die "the broker or perf does not build"

BROKER_PID=""
CURRENT=""
BOOTSTRAP=""
wait_port() { # PORT PID
  local deadline=$(( $(date +%s) + ${READY_TIMEOUT_S:-120} ))
  while ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    kill -0 "$2" 2>/dev/null || return 1
    (( $(date +%s) < deadline )) || return 1
    sleep 0.1
  done
}

start_broker() { # SYSTEM DATADIR LOGDIR
  local sys=$1 data=$2 logs=$3
  rm -rf "$data"; mkdir -p "$data" "$logs"
  case $sys in
    tributary)
      nohup "$REPO/bin/tributary" --override "log.dirs=$data/log" \
        --override "listeners=PLAINTEXT://127.0.0.1:$TRIBUTARY_PORT" --override log.cleaner.backoff.ms=1000 \
        >"$logs/broker.log" 2>&1 </dev/null &
      BROKER_PID=$!
      CURRENT=$sys
      wait_port "$TRIBUTARY_PORT" "$BROKER_PID" || { tail -n 30 "$logs/broker.log" >&2; return 1; }
      BOOTSTRAP=127.0.0.1:$TRIBUTARY_PORT ;;
    kafka)
      KAFKA_EXTRA_PROPS='log.cleaner.backoff.ms=1000' "$ANCHOR/kafka.sh" start "$KAFKA_PORT" "$data" \
        >"$logs/broker-start.log" 2>&1 || { cat "$logs/broker-start.log" >&2; return 1; }
      BROKER_PID=$(<"$data/kafka.pid")
      CURRENT=$sys
      BOOTSTRAP=127.0.0.1:$KAFKA_PORT ;;
  esac
}

stop_broker() { # SYSTEM DATADIR LOGDIR
  local sys=$1 data=$2 logs=${3:-} i
  [[ -n $BROKER_PID ]] || return 0
  case $sys in
    kafka)
      [[ -n $logs && -f $data/server.log ]] && cp "$data/server.log" "$logs/" 2>/dev/null
      "$ANCHOR/kafka.sh" stop "$data" >/dev/null ;;
    *)
      kill -TERM "$BROKER_PID" 2>/dev/null
      for ((i = 0; i < 600; i++)); do kill -0 "$BROKER_PID" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$BROKER_PID" 2>/dev/null && kill -KILL "$BROKER_PID"
      wait "$BROKER_PID" 2>/dev/null ;;
  esac
  BROKER_PID=""
  CURRENT=""
  rm -rf "$data"
}

on_exit() { [[ -n $CURRENT ]] && stop_broker "$CURRENT" "$DATA_ROOT/$CURRENT"; }
trap on_exit EXIT
trap 'exit 130' INT TERM

TSV=$OUT/results.tsv
: >"$TSV"
for ((round = 1; round <= ROUNDS; round++)); do
  order="tributary kafka"
  (( round % 2 == 0 )) && order="kafka tributary"
  for sys in $order; do
    logs=$OUT/round$round/$sys
    log "round $round: $sys"
    start_broker "$sys" "$DATA_ROOT/$sys" "$logs" || die "$sys did not start"
    line=$("$REPO/bin/tributary-perf" compact --bootstrap "$BOOTSTRAP" --label "$sys" --records "$RECORDS" \
      --keys "$KEYS" --value-size "$VALUE_SIZE" --segment-bytes "$SEGMENT_BYTES" --latency-rate "$LATENCY_RATE" \
      2>"$logs/compact.err")
    echo "$line" | tee -a "$OUT/run.log"
    echo -e "$round\t$line" >>"$TSV"
    stop_broker "$sys" "$DATA_ROOT/$sys" "$logs"
    sleep 3
  done
done

# Medians per system, then the ratios.
awk -F'\t' '
  { split($2, kv, " "); sys = ""; for (i in kv) { split(kv[i], p, "="); v[p[1]] = p[2] } sys = v["label"];
    n[sys]++; for (k in v) if (k != "label" && k != "cleaned") vals[sys, k, n[sys]] = v[k]; if (v["cleaned"] != "true") bad[sys]++ }
  function median(sys, k,   m, i, j, a, t) { m = n[sys]; for (i = 1; i <= m; i++) a[i] = vals[sys, k, i] + 0;
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
  END {
    split("bytes_before bytes_after clean_s clean_MB_per_s base_p50_ms base_p99_ms base_p999_ms clean_p50_ms clean_p99_ms clean_p999_ms clean_max_ms", ks, " ");
    printf "| figure (median of %d rounds) | Tributary | Kafka 4.4 | Tributary / Kafka |\n| --- | --- | --- | --- |\n", n["tributary"];
    for (i = 1; i <= 11; i++) { t = median("tributary", ks[i]); k = median("kafka", ks[i]);
      printf "| %s | %.2f | %.2f | %s |\n", ks[i], t, k, (k > 0 ? sprintf("%.2f", t / k) : "-") }
    printf "\nrounds not cleaned: tributary %d, kafka %d\n", bad["tributary"] + 0, bad["kafka"] + 0 }' "$TSV" >"$OUT/summary.md"
cat "$OUT/summary.md"
