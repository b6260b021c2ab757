#!/usr/bin/env bash
# perf/compare-with-kafka.sh — Tributary and Apache Kafka side by side, on this machine, in one run.
#
# Each round starts, in turn and each on a fresh data directory:
#   tributary       bin/tributary --override log.dirs=... --override listeners=PLAINTEXT://127.0.0.1:$TRIBUTARY_PORT
#                   (its default group.initial.rebalance.delay.ms=0 is the anchor Kafka's setting too)
#   kafka           the Kafka anchor (../shared/anchors/kafka/kafka.sh start $KAFKA_PORT DATADIR)
#   tributary-sync  as tributary, plus --override log.flush.policy=sync (fsync before ack; Kafka has no
#                   equivalent, so it is reported beside, not compared)
# and runs against each the same workloads twice over: with Kafka's own tools (the anchor's bench.sh:
# ProducerPerformance / ConsumerPerformance) and with Tributary's harness (bin/tributary-perf). Rounds
# alternate the order (odd: tributary first, even: kafka first). The broker's CPU seconds per workload
# (utime+stime from /proc/PID/stat) and its peak RSS (VmHWM) are taken for every run.
#
# Workloads (6-partition topics, as the anchor):
#   a  throughput   2,000,000 x 1 KiB, acks=1, linger.ms=5, batch.size=131072, as fast as possible
#   b  durability   as a, acks=all + enable.idempotence=true
#   c  latency      50,000 records/s fixed rate, 1 KiB (anchor: 1,000,000 records; harness: 5 s warm-up + 20 s)
#   d  small-100B   5,000,000 x 100 B, as a
#   e  consumer     read back the records of a
#   t  transactional 1,000,000 x 1 KiB, acks=all, idempotent, one transaction per producer every 100 ms
#                   (harness: produce --transaction-duration-ms 100; anchor: bench.sh's t); in no default set
#
# Results: perf-results/<stamp>/ under the repository (gitignored): summary.md (the table: each figure
# for Tributary and Kafka and the ratio Tributary / Kafka, tributary-sync beside), results.tsv (every
# figure of every run), latency-50k.{png,html} (Tributary vs Kafka percentile plot at 50,000 rec/s;
# latency-50k-all.{png,html} adds tributary-sync on a log axis), and
# per round/system the raw tool output, .hgrm/.hlog files and broker logs.
#
# Environment knobs (all optional):
#   ROUNDS (1)             A/B rounds
#   SCALE (1)              multiplies the harness's record counts and durations (0.1 for a quick check)
#   BENCH_WORKLOADS ("a b c d e")   workloads for the anchor's bench.sh ("" skips Kafka's tools; its
#                          record counts are fixed by the anchor)
#   HARNESS_WORKLOADS ("a b c d e") workloads for tributary-perf ("" skips it); also "s": SHARE_CONSUMERS (3)
#                          KafkaShareConsumers of one share group read back what a wrote (tributary-perf
#                          share-consume: records/s, acquire -> acknowledge latency); Kafka's own share tool
#                          is the anchor's bench.sh workload "s" (BENCH_WORKLOADS="a s"), which this script runs
#                          itself (see share_tool below) so as to give it SHARE_TOOL_TIMEOUT_MS
#   SHARE_TOOL_TIMEOUT_MS (600000)  --timeout of Kafka's ShareConsumerPerformance (bench workload s). That tool
#                          waits its --timeout (+100 ms) for its consumer threads as a whole, then interrupts
#                          them ("Timeout waiting for results from fetching records", no result line): bench.sh's
#                          fixed 30000 fails any run slower than 66,667 records/s over its 2,000,000 records;
#                          CONSUME_RECORDS (2000000) how many of a's records it reads
#   SYNC_WORKLOADS ("a b c d")      harness workloads on tributary-sync ("" skips that broker)
#   SYSTEMS ("tributary kafka tributary-sync")
#   HARNESS_CONSUME_GROUP (1; 0 = the harness's consumer takes its partitions by hand, no group join)
#   TRIBUTARY_PORT (29092)  KAFKA_PORT (19092; its controller takes KAFKA_PORT+1)
#   ANCHOR (<repo>/../shared/anchors/kafka)  RESULTS_ROOT (<repo>/perf-results)
#   DATA_ROOT (/tmp/tributary-compare)   brokers' data directories, wiped before and after each run
#   PAUSE_S (3)  READY_TIMEOUT_S (120)  WORKLOAD_TIMEOUT_S (600)
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
ANCHOR=${ANCHOR:-$(cd "$REPO/.." && pwd)/shared/anchors/kafka}
ROUNDS=${ROUNDS:-1}
SCALE=${SCALE:-1}
BENCH_WORKLOADS=${BENCH_WORKLOADS-a b c d e}
HARNESS_WORKLOADS=${HARNESS_WORKLOADS-a b c d e}
SYNC_WORKLOADS=${SYNC_WORKLOADS-a b c d}
SYSTEMS=${SYSTEMS:-tributary kafka tributary-sync}
TRIBUTARY_PORT=${TRIBUTARY_PORT:-29092}
KAFKA_PORT=${KAFKA_PORT:-19092}
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${RESULTS_ROOT:-$REPO/perf-results}/$STAMP
DATA_ROOT=${DATA_ROOT:-/tmp/tributary-compare}
PAUSE_S=${PAUSE_S:-3}
HZ=$(getconf CLK_TCK)
TOOL_DIR=$OUT/tool
TSV=$OUT/results.tsv

die() { echo "compare-with-kafka.sh: $*" >&2; exit 1; }
log() { echo "### $*" | tee -a "$OUT/run.log" >&2; }
scaled() { awk -v n="$1" -v s="$SCALE" 'BEGIN { v = int(n * s + 0.5); print (v < 1 ? 1 : v) }'; }
scaled_s() { # SECONDS [FLOOR]
  awk -v n="$1" -v s="$SCALE" -v f="${2:-1}" 'BEGIN { v = n * s; printf "%.1fs", (v < f ? f : v) }'; }

[[ -x $ANCHOR/kafka.sh && -x $ANCHOR/bench.sh ]] || die "Kafka anchor not found at $ANCHOR (set ANCHOR)"
[[ -x $REPO/bin/tributary ]] || die "$REPO/bin/tributary not found"
mkdir -p "$OUT" "$DATA_ROOT" || die "cannot create $OUT"

# Build the broker once up front, so that no broker start below includes a build in its startup time.
(cd "$REPO" && mvn -B -q -DskipTests -pl broker -am package >/dev/null 2>&1) || die "the broker does not build"
"$REPO/bin/tributary" --help >/dev/null 2>&1 || true

# tributary-perf runs from a private copy of its jars, so a rebuild of perf/target during the
# (long) run cannot pull them away
"$REPO/bin/tributary-perf" --help >/dev/null || die "bin/tributary-perf does not run"
mkdir -p "$TOOL_DIR" && cp "$REPO"/perf/target/lib/*.jar "$TOOL_DIR"/ \
  && cp "$(ls "$REPO"/perf/target/perf-*.jar | grep -v -e '-tests\.jar$' -e '-sources\.jar$' | head -n 1)" "$TOOL_DIR"/ \
  || die "could not copy the perf jars"
PERF() { java ${PERF_HEAP_OPTS:--Xmx1g} -Djava.awt.headless=true -cp "$TOOL_DIR/*" io.tributary.perf.Main "$@"; }
printf 'round\tsystem\ttool\tworkload\trec_per_s\tMB_per_s\tp50_ms\tp99_ms\tp999_ms\tmax_ms\tbroker_cpu_s\tother_cpu_s\twall_s\n' >"$TSV"

# --- broker CPU and machine CPU --------------------------------------------------------------------
broker_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
children_ticks() { awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$$/stat"; }
cpu_snapshot() { echo "$(broker_ticks "$1") $(machine_ticks) $(children_ticks)"; }
cpu_delta() { # PID SNAPSHOT -> "broker_cpu_s other_cpu_s" (other = machine - broker - our tool JVMs)
  awk -v hz="$HZ" -v a="$2" -v b="$(cpu_snapshot "$1")" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    brk = (y[1] - x[1]) / hz; busy = (y[2] - x[2]) / hz; tool = (y[3] - x[3]) / hz
    printf "%.1f %.1f", brk, busy - brk - tool }'
}
prop() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n 1; }

# --- brokers ----------------------------------------------------------------------------------------
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

start_broker() { # SYSTEM DATADIR LOGDIR -> sets BROKER_PID, CURRENT and BOOTSTRAP
  local sys=$1 data=$2 logs=$3 t0 extra=()
  rm -rf "$data"; mkdir -p "$data" "$logs"
  t0=$(date +%s%N)
  case $sys in
    tributary|tributary-sync)
      # Tributary's defaults already match the anchor Kafka's group.initial.rebalance.delay.ms=0.
      [[ $sys == tributary-sync ]] && extra+=(--override log.flush.policy=sync)
      nohup "$REPO/bin/tributary" --override "log.dirs=$data/log" \
        --override "listeners=PLAINTEXT://127.0.0.1:$TRIBUTARY_PORT" "${extra[@]}" \
        >"$logs/broker.log" 2>&1 </dev/null &
      BROKER_PID=$!
      CURRENT=$sys
      wait_port "$TRIBUTARY_PORT" "$BROKER_PID" || { tail -n 30 "$logs/broker.log" >&2; return 1; }
      BOOTSTRAP=127.0.0.1:$TRIBUTARY_PORT ;;
    kafka)
      "$ANCHOR/kafka.sh" start "$KAFKA_PORT" "$data" >"$logs/broker-start.log" 2>&1 \
        || { cat "$logs/broker-start.log" >&2; return 1; }
      BROKER_PID=$(<"$data/kafka.pid")
      CURRENT=$sys
      BOOTSTRAP=127.0.0.1:$KAFKA_PORT ;;
  esac
  awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "startup_s=%.2f\n", (b - a) / 1e9 }' >"$logs/broker.txt"
}

stop_broker() { # SYSTEM DATADIR
  local sys=$1 data=$2 i
  [[ -n $BROKER_PID ]] || return 0
  case $sys in
    kafka) "$ANCHOR/kafka.sh" stop "$data" >/dev/null ;;
    *)
      kill -TERM "$BROKER_PID" 2>/dev/null
      for ((i = 0; i < 600; i++)); do kill -0 "$BROKER_PID" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$BROKER_PID" 2>/dev/null; then
        echo "compare-with-kafka.sh: pid $BROKER_PID ignored SIGTERM for 60 s, sending SIGKILL" >&2
        kill -KILL "$BROKER_PID"
      fi
      wait "$BROKER_PID" 2>/dev/null ;;
  esac
  BROKER_PID=""
  CURRENT=""
}

on_exit() { [[ -n $CURRENT ]] && stop_broker "$CURRENT" "$DATA_ROOT/$CURRENT"; }
trap on_exit EXIT
trap 'exit 130' INT TERM

# --- workloads --------------------------------------------------------------------------------------
run_bench() { # ROUND SYSTEM BOOTSTRAP DIR
  local r=$1 sys=$2 bootstrap=$3 dir=$4 workloads w share=0
  [[ -n $BENCH_WORKLOADS ]] || return 0
  # workload s is run by share_tool, with a --timeout bench.sh does not let through
  for w in $BENCH_WORKLOADS; do [[ $w == s ]] && share=1 || workloads+="${workloads:+ }$w"; done
  if [[ -n $workloads ]]; then
    log "round $r $sys: Kafka's tools (bench.sh: $workloads)"
    BROKER_PID=$BROKER_PID RUN_ID=bench RESULTS_DIR=$dir WORKLOADS=$workloads PAUSE_S=$PAUSE_S \
      "$ANCHOR/bench.sh" "$bootstrap" >"$dir/bench.out" 2>&1
    tail -n 12 "$dir/bench.out" >&2
    # anchor summary.tsv: 1 workload, 4 rec/s, 5 MB/s, 7 p50, 9 p99, 10 p99.9, 11 max, 15 wall, 17 broker cpu, 19 other
    awk -F'\t' -v r="$r" -v s="$sys" 'BEGIN { OFS = "\t" }
      /^#/ || $1 == "workload" || $3 == "FAILED" { next }
      { print r, s, "kafka-tools", $1, $4, $5, $7, $9, $10, $11, $17, $19, $15 }' "$dir/bench/summary.tsv" >>"$TSV"
  fi
  ((share == 0)) || share_tool "$r" "$sys" "$bootstrap" "$dir"
}

# Kafka's ShareConsumerPerformance as the anchor's bench.sh workload s runs it (SHARE_THREADS (3) consumers of
# the new share group anchor-bench-s, share.auto.offset.reset=earliest set with the anchor's GroupConfig.java,
# reading the 2,000,000 records bench.sh's workload a wrote to anchor-bench-a), but with
# --timeout SHARE_TOOL_TIMEOUT_MS. records/s and MB/s are the tool's, over its whole run (join included).
share_tool() { # ROUND SYSTEM BOOTSTRAP DIR
  local r=$1 sys=$2 bootstrap=$3 dir=$4 topic=anchor-bench-a group=anchor-bench-s out=$4/bench-s.log
  local n=${CONSUME_RECORDS:-2000000} timeout_ms=${SHARE_TOOL_TIMEOUT_MS:-600000} cp t0 snap cpu line
  local l4j=-Dlog4j2.configurationFile=$ANCHOR/log4j2-tools.properties
  [[ " $BENCH_WORKLOADS " == *" a "* ]] || { echo "!! bench workload s reads what bench workload a wrote: add a" >&2; return 0; }
  log "round $r $sys: Kafka's ShareConsumerPerformance (bench workload s, --timeout $timeout_ms)"
  cp=$("$ANCHOR/kafka.sh" classpath tools) || { echo "!! no Kafka tools classpath" >&2; return 0; }
  if ! java "$l4j" -cp "$cp" "$ANCHOR/GroupConfig.java" "$bootstrap" "$group" share.auto.offset.reset=earliest \
      >"$out" 2>&1; then
    echo "!! could not set share.auto.offset.reset of $group (see $out)" >&2
    return 0
  fi
  sleep "$PAUSE_S"
  t0=$(date +%s%N); snap=$(cpu_snapshot "$BROKER_PID")
  timeout $((timeout_ms / 1000 + 60)) java ${TOOL_HEAP_OPTS:--Xmx512m} "$l4j" -cp "$cp" \
    org.apache.kafka.tools.ShareConsumerPerformance --bootstrap-server "$bootstrap" --topic "$topic" \
    --num-records "$n" --threads "${SHARE_THREADS:-3}" --timeout "$timeout_ms" --group "$group" >>"$out" 2>&1
  cpu=$(cpu_delta "$BROKER_PID" "$snap")
  # start.time, end.time, data.consumed.in.MB, MB.sec, nMsg.sec, data.consumed.in.nMsg, ...
  line=$(grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2} ' "$out" | tail -n 1)
  if [[ -z $line ]]; then
    echo "!! ShareConsumerPerformance failed against $sys (see $out)" >&2
    tail -n 5 "$out" >&2
    return 0
  fi
  echo "$line" >&2
  if awk -F', ' -v want="$n" '{ exit !($6 + 0 < want + 0) }' <<<"$line"; then
    echo "!! ShareConsumerPerformance read fewer than $n records against $sys: not recorded" >&2
    return 0
  fi
  awk -F', ' -v r="$r" -v s="$sys" -v cpu="$cpu" -v wall="$(awk -v a="$t0" -v b="$(date +%s%N)" \
      'BEGIN { printf "%.1f", (b - a) / 1e9 }')" 'BEGIN { OFS = "\t" } {
    split(cpu, c, " "); print r, s, "kafka-tools", "s", $5 + 0, $4 + 0, "-", "-", "-", "-", c[1], c[2], wall }' \
    <<<"$line" >>"$TSV"
}

harness() { # ROUND SYSTEM BOOTSTRAP DIR WORKLOAD
  local r=$1 sys=$2 bootstrap=$3 dir=$4 w=$5 topic="cmp-$STAMP-r$1-a" args t0 snap cpu rc
  local common=(--bootstrap "$bootstrap" --out "$dir" --label "$w" --partitions 6 --progress-interval 5s)
  local acks1=(--acks 1 --linger-ms 5 --batch-size 131072 --compression none)
  case $w in
    a) args=(produce "${common[@]}" --topic "$topic" --records "$(scaled 2000000)" --record-size 1024 "${acks1[@]}") ;;
    b) args=(produce "${common[@]}" --topic "cmp-$STAMP-r$r-b" --records "$(scaled 2000000)" --record-size 1024
             --acks all --idempotence --linger-ms 5 --batch-size 131072 --compression none) ;;
    c) args=(latency "${common[@]}" --topic "cmp-$STAMP-r$r-c" --rate 50000 --warmup "$(scaled_s 5 2)"
             --duration "$(scaled_s 25 12)" --record-size 1024 "${acks1[@]}") ;;
    d) args=(produce "${common[@]}" --topic "cmp-$STAMP-r$r-d" --records "$(scaled 5000000)" --record-size 100 "${acks1[@]}") ;;
    e) args=(consume --bootstrap "$bootstrap" --out "$dir" --label e --topic "$topic"
             --records "$(scaled 2000000)" --idle-timeout 30s)
       [[ ${HARNESS_CONSUME_GROUP:-1} == 1 ]] || args+=(--no-group) ;;
    t) args=(produce "${common[@]}" --topic "cmp-$STAMP-r$r-t" --records "$(scaled 1000000)" --record-size 1024
             --acks all --linger-ms 5 --batch-size 131072 --compression none
             --transactional-id "cmp-$STAMP-r$r-txn" --transaction-duration-ms 100) ;;
    s) args=(share-consume --bootstrap "$bootstrap" --out "$dir" --label s --topic "$topic"
             --records "$(scaled 2000000)" --consumers "${SHARE_CONSUMERS:-3}" --idle-timeout 30s) ;;
    *) echo "unknown workload $w" >&2; return 0 ;;
  esac
  log "round $r $sys: tributary-perf $w (${args[*]:0:1} ...)"
  sleep "$PAUSE_S"
  t0=$(date +%s%N); snap=$(cpu_snapshot "$BROKER_PID")
  timeout "${WORKLOAD_TIMEOUT_S:-600}" java ${PERF_HEAP_OPTS:--Xmx1g} -Djava.awt.headless=true \
    -cp "$TOOL_DIR/*" io.tributary.perf.Main "${args[@]}" >"$dir/$w.out" 2>"$dir/$w.err"
  rc=$?
  cpu=$(cpu_delta "$BROKER_PID" "$snap")
  cat "$dir/$w.out" >&2
  if ((rc != 0)) || [[ ! -f $dir/$w.properties ]]; then
    echo "!! tributary-perf $w failed (exit $rc), see $dir/$w.err" >&2
    tail -n 5 "$dir/$w.err" >&2
    return 0
  fi
  printf '%s\t%s\ttributary-perf\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$sys" "$w" \
    "$(prop "$dir/$w.properties" rec_per_s)" "$(prop "$dir/$w.properties" MB_per_s)" \
    "$(prop "$dir/$w.properties" p50_ms)" "$(prop "$dir/$w.properties" p99_ms)" \
    "$(prop "$dir/$w.properties" p999_ms)" "$(prop "$dir/$w.properties" max_ms)" \
    ${cpu% *} ${cpu#* } "$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')" >>"$TSV"
  # workload t: its commits (begin of commitTransaction() -> return) as a row of their own
  if [[ $w == t && -f $dir/t-commit.properties ]]; then
    printf '%s\t%s\ttributary-perf\tt-commit\t-\t-\t%s\t%s\t%s\t%s\t-\t-\t-\n' "$r" "$sys" \
      "$(prop "$dir/t-commit.properties" p50_ms)" "$(prop "$dir/t-commit.properties" p99_ms)" \
      "$(prop "$dir/t-commit.properties" p999_ms)" "$(prop "$dir/t-commit.properties" max_ms)" >>"$TSV"
  fi
}

run_system() { # ROUND SYSTEM
  local r=$1 sys=$2 dir=$OUT/r$1/$2 data=$DATA_ROOT/$2 workloads w
  workloads=$HARNESS_WORKLOADS
  [[ $sys == tributary-sync ]] && workloads=$SYNC_WORKLOADS
  [[ $sys == tributary-sync && -z $workloads ]] && return 0
  mkdir -p "$dir"
  log "round $r: starting $sys"
  start_broker "$sys" "$data" "$dir" || { echo "!! $sys did not start" >&2; stop_broker "$sys" "$data"; return 1; }
  echo "pid=$BROKER_PID" >>"$dir/broker.txt"
  echo "rss_kib_after_start=$(awk '/VmRSS/ { print $2 }' "/proc/$BROKER_PID/status")" >>"$dir/broker.txt"
  [[ $sys != tributary-sync ]] && run_bench "$r" "$sys" "$BOOTSTRAP" "$dir"
  for w in $workloads; do harness "$r" "$sys" "$BOOTSTRAP" "$dir" "$w"; done
  {
    echo "peak_rss_kib=$(awk '/VmHWM/ { print $2 }' "/proc/$BROKER_PID/status")"
    echo "rss_kib_at_end=$(awk '/VmRSS/ { print $2 }' "/proc/$BROKER_PID/status")"
    echo "disk_kib=$(du -sk "$data" | cut -f1)"
  } >>"$dir/broker.txt"
  cat "$dir/broker.txt" >&2
  stop_broker "$sys" "$data"
  rm -rf "$data"
}

for ((r = 1; r <= ROUNDS; r++)); do
  order=$SYSTEMS
  # alternate A/B: even rounds put kafka first
  ((r % 2 == 0)) && order="kafka $(tr ' ' '\n' <<<"$SYSTEMS" | grep -vx kafka | tr '\n' ' ')"
  for sys in $order; do run_system "$r" "$sys"; done
done

# --- the overlaid latency plots (harness workload c) ----------------------------------------------
# latency-50k: Tributary vs Kafka, linear axis; latency-50k-all: with tributary-sync, log axis
plot_50k() { # OUT_BASE EXTRA_FLAGS SYSTEMS...
  local base=$1 flags=$2 args=() r sys f suffix
  shift 2
  for ((r = 1; r <= ROUNDS; r++)); do
    suffix=""; ((ROUNDS > 1)) && suffix=" r$r"
    for sys in "$@"; do
      f=$OUT/r$r/$sys/c.hgrm
      [[ -f $f ]] && args+=("$sys$suffix=$f")
    done
  done
  ((${#args[@]} > 0)) || return 0
  # shellcheck disable=SC2086
  PERF plot --out "$base" $flags \
    --title "send -> ack latency at 50,000 records/s, 1 KiB, acks=1 (tributary-perf, corrected)" "${args[@]}" >&2
}
plot_50k "$OUT/latency-50k" "" tributary kafka
plot_50k "$OUT/latency-50k-all" "--log-y" tributary kafka tributary-sync

# --- summary.md -------------------------------------------------------------------------------------
{
  echo "# Tributary vs Apache Kafka — $STAMP"
  echo
  echo "$(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(java -version 2>&1 | head -n 1)."
  echo "Rounds: $ROUNDS (A/B alternating). Harness scale: $SCALE. Kafka's tools: '${BENCH_WORKLOADS}', harness: '${HARNESS_WORKLOADS}', sync: '${SYNC_WORKLOADS}'."
  echo "Figures are medians over the rounds; ratio = Tributary / Kafka (for rates higher is better, for latency"
  echo "and CPU lower is better). tributary-sync fsyncs before acknowledging (log.flush.policy=sync); Kafka has"
  echo "no such mode, so it stands beside the comparison. 'other cpu' is CPU used by everything but the broker and"
  echo "the load tool during the workload: seconds of it mean the run was disturbed by something else."
  echo
  echo "| tool | workload | figure | Tributary | Kafka | Tributary / Kafka | tributary-sync |"
  echo "|---|---|---|---:|---:|---:|---:|"
  awk -F'\t' '
    function median(key,    n, i, j, t, v) {
      n = split(vals[key], v, " ")
      if (n == 0 || vals[key] == "") return ""
      for (i = 2; i <= n; i++) { t = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
      return (n % 2) ? v[(n + 1) / 2] + 0 : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    function fmt(x, col) { if (x == "") return "-"; return (col <= 6 && x >= 100) ? sprintf("%.0f", x) : sprintf("%.2f", x) }
    NR == 1 { for (i = 5; i <= 12; i++) name[i] = $i; next }
    {
      row = $3 SUBSEP $4; if (!(row in seen)) { seen[row] = 1; rows[++nrows] = row }
      for (i = 5; i <= 12; i++) if ($i != "-" && $i != "") vals[$2 SUBSEP row SUBSEP i] = vals[$2 SUBSEP row SUBSEP i] " " $i
    }
    END {
      label["rec_per_s"] = "records/s"; label["MB_per_s"] = "MB/s"; label["p50_ms"] = "p50 ms"; label["p99_ms"] = "p99 ms"
      label["p999_ms"] = "p99.9 ms"; label["max_ms"] = "max ms"; label["broker_cpu_s"] = "broker CPU s"; label["other_cpu_s"] = "other CPU s"
      for (k = 1; k <= nrows; k++) {
        split(rows[k], rk, SUBSEP)
        for (i = 5; i <= 12; i++) {
          t = median("tributary" SUBSEP rows[k] SUBSEP i); a = median("kafka" SUBSEP rows[k] SUBSEP i)
          s = median("tributary-sync" SUBSEP rows[k] SUBSEP i)
          if (t == "" && a == "" && s == "") continue
          ratio = (t != "" && a != "" && a + 0 != 0 && name[i] != "other_cpu_s") ? sprintf("%.2f", t / a) : "-"
          printf "| %s | %s | %s | %s | %s | %s | %s |\n", rk[1], rk[2], label[name[i]], fmt(t, i), fmt(a, i), ratio, fmt(s, i)
        }
      }
    }' "$TSV"
  echo
  echo "Broker process per round (peak RSS = VmHWM, KiB; startup = launch to first accepted TCP connection):"
  echo
  echo "| round | system | startup s | RSS after start KiB | peak RSS KiB | disk KiB |"
  echo "|---|---|---:|---:|---:|---:|"
  for f in "$OUT"/r*/*/broker.txt; do
    [[ -f $f ]] || continue
    sys=$(basename "$(dirname "$f")"); rr=$(basename "$(dirname "$(dirname "$f")")")
    echo "| ${rr#r} | $sys | $(prop "$f" startup_s) | $(prop "$f" rss_kib_after_start) | $(prop "$f" peak_rss_kib) | $(prop "$f" disk_kib) |"
  done
  echo
  echo "Workloads: a = 1 KiB acks=1 max rate; b = a with acks=all + idempotence; c = 50,000 rec/s fixed rate (harness:"
  echo "corrected for coordinated omission, warm-up excluded; Kafka's tool: from its own send call); d = 100 B max rate;"
  echo "e = consumer read-back of a; t = 1 KiB acks=all, a transaction every 100 ms (commit latency: t.properties). Latency plots: latency-50k.{png,html} (Tributary vs Kafka), latency-50k-all.{png,html}"
  echo "(with tributary-sync, log axis). Raw figures: results.tsv."
} >"$OUT/summary.md"

cat "$OUT/summary.md"
echo
echo "results in $OUT"
