#!/usr/bin/env bash
# perf/compare-tls-with-kafka.sh — the cost of TLS: Tributary and Apache Kafka 4.4 side by side, in one run,
# over SSL and over SASL_SSL (PLAIN), with workloads a and e of compare-with-kafka.sh:
#   a  produce RECORDS x 1 KiB to a 6-partition topic, acks=1, linger.ms=5, batch.size=131072, as fast as possible
#   e  consume those records back (partitions assigned by hand: a group join's wait is not the cost of TLS)
# both with Tributary's harness (tributary-perf), the client's TLS and SASL settings passed with --transport-prop.
#
# Certificates: a self-signed RSA key and certificate for CN=localhost, SAN IP:127.0.0.1 (keytool), in a
# PKCS12 keystore; the clients trust it through a PKCS12 truststore and verify the host name.
# Brokers, each on a fresh data directory, one at a time, order alternating per protocol:
#   tributary  bin/tributary --override listeners=<PROTO>://127.0.0.1:$TRIBUTARY_PORT + Kafka's ssl.* keys
#              (SASL_SSL: sasl.enabled.mechanisms=PLAIN, listener.name.sasl_ssl.plain.sasl.jaas.config)
#   kafka      the anchor (../shared/anchors/kafka/kafka.sh) with KAFKA_EXTRA_PROPS adding a <PROTO> listener on
#              KAFKA_PORT+2 beside its PLAINTEXT one (readiness probe and inter-broker traffic), the same ssl.*
#              keys; for SASL_SSL the PLAIN users come from a JAAS file (KafkaServer section, KAFKA_JVM_OPTS)
#              because KAFKA_EXTRA_PROPS splits its value at ';', which ends a sasl.jaas.config line.
# Results: perf-results/tls-<stamp>/ (gitignored): results.tsv, summary.md (records/s, MB/s, broker CPU s, and the
# ratio Tributary / Kafka per protocol and workload), per run the tool's output and the broker's log.
# results.tsv also has the client's CPU seconds (user + system of the tool's JVM, from /usr/bin/time), and for
# consumes the tool's fetch-only records/s (from the first record on) and the milliseconds to the first record
# (JVM start excluded; connection, TLS handshake, SASL and the first fetch included): records/s counts that wait.
#
# Environment knobs: RECORDS (500000)  PROTOCOLS ("SSL SASL_SSL")  ROUNDS (1)  TRIBUTARY_PORT (29192)
#   KAFKA_PORT (19192; +1 controller, +2 the TLS listener)  ANCHOR (<repo>/../shared/anchors/kafka)
#   DATA_ROOT (/tmp/tributary-compare-tls)  WORKLOAD_TIMEOUT_S (600)  PAUSE_S (3)
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
ANCHOR=${ANCHOR:-$(cd "$REPO/.." && pwd)/shared/anchors/kafka}
RECORDS=${RECORDS:-500000}
PROTOCOLS=${PROTOCOLS:-SSL SASL_SSL}
ROUNDS=${ROUNDS:-1}
TRIBUTARY_PORT=${TRIBUTARY_PORT:-29192}
KAFKA_PORT=${KAFKA_PORT:-19192}
KAFKA_TLS_PORT=$((KAFKA_PORT + 2))
DATA_ROOT=${DATA_ROOT:-/tmp/tributary-compare-tls}
PAUSE_S=${PAUSE_S:-3}
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${RESULTS_ROOT:-$REPO/perf-results}/tls-$STAMP
TOOL_DIR=$OUT/tool
TSV=$OUT/results.tsv
HZ=$(getconf CLK_TCK)
PASSWORD=tls-bench-secret

die() { echo "compare-tls-with-kafka.sh: $*" >&2; exit 1; }
log() { echo "### $*" | tee -a "$OUT/run.log" >&2; }
prop() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n 1; }

[[ -x $ANCHOR/kafka.sh ]] || die "Kafka anchor not found at $ANCHOR (set ANCHOR)"
mkdir -p "$OUT" "$DATA_ROOT" "$TOOL_DIR" || die "cannot create $OUT"
(cd "$REPO" && mvn -B -q -DskipTests -pl broker,perf -am package >/dev/null 2>&1) || die "the broker or perf does not build"
"$REPO/bin/tributary" --help >/dev/null 2>&1 || true
"$REPO/bin/tributary-perf" --help >/dev/null || die "bin/tributary-perf does not run"
cp "$REPO"/perf/target/lib/*.jar "$TOOL_DIR"/ \
  && cp "$(ls "$REPO"/perf/target/perf-*.jar | grep -v -e '-tests\.jar$' -e '-sources\.jar$' | head -n 1)" "$TOOL_DIR"/ \
  || die "could not copy the perf jars"

# --- certificates -------------------------------------------------------------------------------------
CERTS=$OUT/certs
mkdir -p "$CERTS"
keytool -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity 30 -dname CN=localhost \
  -ext SAN=ip:127.0.0.1,dns:localhost -storetype PKCS12 -keystore "$CERTS/server.p12" \
  -storepass "$PASSWORD" -keypass "$PASSWORD" >/dev/null 2>&1 || die "keytool -genkeypair failed"
keytool -exportcert -alias broker -keystore "$CERTS/server.p12" -storepass "$PASSWORD" -rfc \
  -file "$CERTS/server.pem" >/dev/null 2>&1 || die "keytool -exportcert failed"
keytool -importcert -noprompt -alias broker -file "$CERTS/server.pem" -storetype PKCS12 \
  -keystore "$CERTS/truststore.p12" -storepass "$PASSWORD" >/dev/null 2>&1 || die "keytool -importcert failed"
cat >"$CERTS/kafka-jaas.conf" <<JAAS
KafkaServer {
  org.apache.kafka.common.security.plain.PlainLoginModule required
  username="admin" password="admin-secret"
  user_admin="admin-secret";
};
JAAS
SERVER_SSL=("ssl.keystore.type=PKCS12" "ssl.keystore.location=$CERTS/server.p12" "ssl.keystore.password=$PASSWORD"
            "ssl.key.password=$PASSWORD")
client_props() { # PROTO -> --transport-prop args
  local a=(--transport-prop "security.protocol=$1" --transport-prop ssl.truststore.type=PKCS12
           --transport-prop "ssl.truststore.location=$CERTS/truststore.p12" --transport-prop "ssl.truststore.password=$PASSWORD")
  if [[ $1 == SASL_SSL ]]; then
    a+=(--transport-prop sasl.mechanism=PLAIN --transport-prop
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret";')
  fi
  printf '%s\n' "${a[@]}"
}

# --- brokers ----------------------------------------------------------------------------------------
BROKER_PID="" CURRENT="" CURRENT_DATA="" BOOTSTRAP=""
start_broker() { # SYSTEM PROTO DATADIR LOGDIR
  local sys=$1 proto=$2 data=$3 logs=$4 i overrides=() p
  rm -rf "$data"; mkdir -p "$data" "$logs"
  case $sys in
    tributary)
      for p in "${SERVER_SSL[@]}"; do overrides+=(--override "$p"); done
      if [[ $proto == SASL_SSL ]]; then
        overrides+=(--override sasl.enabled.mechanisms=PLAIN --override
          'listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_admin="admin-secret";')
      fi
      nohup "$REPO/bin/tributary" "$REPO/config/tributary.properties" --override "log.dirs=$data/log" \
        --override "listeners=$proto://127.0.0.1:$TRIBUTARY_PORT" "${overrides[@]}" >"$logs/broker.log" 2>&1 </dev/null &
      BROKER_PID=$! CURRENT=$sys CURRENT_DATA=$data
      for ((i = 0; i < 1200; i++)); do
        grep -q "Tributary started" "$logs/broker.log" && break
        kill -0 "$BROKER_PID" 2>/dev/null || break
        sleep 0.1
      done
      grep -q "Tributary started" "$logs/broker.log" || { tail -n 30 "$logs/broker.log" >&2; return 1; }
      BOOTSTRAP=127.0.0.1:$TRIBUTARY_PORT ;;
    kafka)
      local extra="listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,$proto://127.0.0.1:$KAFKA_TLS_PORT,CONTROLLER://127.0.0.1:$((KAFKA_PORT + 1))"
      extra+=";advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,$proto://127.0.0.1:$KAFKA_TLS_PORT"
      extra+=";listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL"
      for p in "${SERVER_SSL[@]}"; do extra+=";$p"; done
      local jvm=${KAFKA_JVM_OPTS:-}
      if [[ $proto == SASL_SSL ]]; then
        extra+=";sasl.enabled.mechanisms=PLAIN"
        jvm+=" -Djava.security.auth.login.config=$CERTS/kafka-jaas.conf"
      fi
      CURRENT=$sys CURRENT_DATA=$data # so that an interrupt during the start still stops it
      KAFKA_EXTRA_PROPS=$extra KAFKA_JVM_OPTS=$jvm "$ANCHOR/kafka.sh" start "$KAFKA_PORT" "$data" \
        >"$logs/broker-start.log" 2>&1 || { cat "$logs/broker-start.log" >&2; return 1; }
      BROKER_PID=$(<"$data/kafka.pid") CURRENT=$sys CURRENT_DATA=$data
      BOOTSTRAP=127.0.0.1:$KAFKA_TLS_PORT ;;
  esac
}

stop_broker() {
  local i
  [[ -n $BROKER_PID || $CURRENT == kafka ]] || return 0
  case $CURRENT in
    kafka) "$ANCHOR/kafka.sh" stop "$CURRENT_DATA" >/dev/null ;;
    *)
      kill -TERM "$BROKER_PID" 2>/dev/null
      for ((i = 0; i < 600; i++)); do kill -0 "$BROKER_PID" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$BROKER_PID" 2>/dev/null && kill -KILL "$BROKER_PID"
      wait "$BROKER_PID" 2>/dev/null ;;
  esac
  rm -rf "$CURRENT_DATA"
  BROKER_PID="" CURRENT="" CURRENT_DATA=""
}
trap stop_broker EXIT
trap 'exit 130' INT TERM

broker_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# --- workloads --------------------------------------------------------------------------------------
printf 'round\tprotocol\tsystem\tworkload\trec_per_s\tMB_per_s\tbroker_cpu_s\twall_s\tclient_cpu_s\tfetch_rec_per_s\tfirst_record_ms\n' >"$TSV"
run_workload() { # ROUND PROTO SYSTEM DIR WORKLOAD TOPIC
  local r=$1 proto=$2 sys=$3 dir=$4 w=$5 topic=$6 args ticks0 t0 rc props=()
  mapfile -t props < <(client_props "$proto")
  case $w in
    a) args=(produce --bootstrap "$BOOTSTRAP" --out "$dir" --label a --partitions 6 --topic "$topic"
             --records "$RECORDS" --record-size 1024 --acks 1 --linger-ms 5 --batch-size 131072 --compression none) ;;
    e) args=(consume --bootstrap "$BOOTSTRAP" --out "$dir" --label e --topic "$topic" --records "$RECORDS"
             --idle-timeout 30s --no-group) ;;
  esac
  log "round $r $proto $sys: $w"
  sleep "$PAUSE_S"
  ticks0=$(broker_ticks "$BROKER_PID"); t0=$(date +%s%N)
  rm -f "$dir/$w.time"
  /usr/bin/time -f '%U %S' -o "$dir/$w.time" timeout "${WORKLOAD_TIMEOUT_S:-600}" java -Xmx1g -Djava.awt.headless=true -cp "$TOOL_DIR/*" \
    io.tributary.perf.Main "${args[@]}" "${props[@]}" >"$dir/$w.out" 2>"$dir/$w.err"
  rc=$?
  cat "$dir/$w.out" >&2
  if ((rc != 0)) || [[ ! -f $dir/$w.properties ]]; then
    echo "!! $w failed on $sys over $proto (exit $rc), see $dir/$w.err" >&2; tail -n 5 "$dir/$w.err" >&2
    return 0
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$proto" "$sys" "$w" "$(prop "$dir/$w.properties" rec_per_s)" \
    "$(prop "$dir/$w.properties" MB_per_s)" \
    "$(awk -v a="$ticks0" -v b="$(broker_ticks "$BROKER_PID")" -v hz="$HZ" 'BEGIN { printf "%.1f", (b - a) / hz }')" \
    "$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')" \
    "$(awk '{ printf "%.1f", $1 + $2 }' "$dir/$w.time" 2>/dev/null)" \
    "$(prop "$dir/$w.properties" fetch_rec_per_s)" "$(prop "$dir/$w.properties" join_ms)" >>"$TSV"
}

n=0
for ((r = 1; r <= ROUNDS; r++)); do
  for proto in $PROTOCOLS; do
    order="tributary kafka"; ((n++ % 2 == 1)) && order="kafka tributary"
    for sys in $order; do
      dir=$OUT/r$r/$proto/$sys
      mkdir -p "$dir"
      log "round $r $proto: starting $sys"
      start_broker "$sys" "$proto" "$DATA_ROOT/$sys" "$dir" || { echo "!! $sys did not start over $proto" >&2; stop_broker; continue; }
      topic=tls-$STAMP-r$r-$proto
      run_workload "$r" "$proto" "$sys" "$dir" a "$topic"
      run_workload "$r" "$proto" "$sys" "$dir" e "$topic"
      echo "peak_rss_kib=$(awk '/VmHWM/ { print $2 }' "/proc/$BROKER_PID/status")" >"$dir/broker.txt"
      stop_broker
    done
  done
done

{
  echo "# Tributary vs Apache Kafka over TLS — $STAMP"
  echo
  echo "$(nproc) CPUs, $(java -version 2>&1 | head -n 1). $RECORDS records of 1 KiB per run, $ROUNDS round(s),"
  echo "tributary-perf on both; TLS with a self-signed RSA 2048 certificate (host name verified), SASL_SSL with PLAIN."
  echo "Figures are medians over the rounds; ratio = Tributary / Kafka (higher is better for records/s and MB/s,"
  echo "lower for broker CPU seconds)."
  echo
  echo "| protocol | workload | figure | Tributary | Kafka | Tributary / Kafka |"
  echo "|---|---|---|---:|---:|---:|"
  awk -F'\t' '
    function median(key,    n, i, j, t, v) {
      n = split(vals[key], v, " "); if (n == 0) return ""
      for (i = 2; i <= n; i++) { t = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
      return (n % 2) ? v[(n + 1) / 2] + 0 : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    NR == 1 { next }
    { row = $2 SUBSEP $4; if (!(row in seen)) { seen[row] = 1; rows[++nrows] = row }
      for (i = 5; i <= 11; i++) if (i != 8 && $i != "" && $i != "-") vals[$3 SUBSEP row SUBSEP i] = vals[$3 SUBSEP row SUBSEP i] " " $i }
    END {
      label[5] = "records/s"; label[6] = "MB/s"; label[7] = "broker CPU s"; label[9] = "client CPU s"
      label[10] = "fetch-only records/s"; label[11] = "ms to first record"
      for (k = 1; k <= nrows; k++) {
        split(rows[k], rk, SUBSEP)
        for (i = 5; i <= 11; i++) {
          if (i == 8) continue
          t = median("tributary" SUBSEP rows[k] SUBSEP i); a = median("kafka" SUBSEP rows[k] SUBSEP i)
          if (t == "" && a == "") continue
          ratio = (t != "" && a != "" && a + 0 != 0) ? sprintf("%.2f", t / a) : "-"
          printf "| %s | %s | %s | %s | %s | %s |\n", rk[1], rk[2], label[i], (t == "" ? "-" : t), (a == "" ? "-" : a), ratio
        }
      }
    }' "$TSV"
  echo
  echo "a = produce, acks=1, linger.ms=5, batch.size=131072, 6 partitions; e = consume a's records (partitions assigned by hand). Raw: results.tsv."
} >"$OUT/summary.md"
cat "$OUT/summary.md"
echo "results in $OUT"
