#!/usr/bin/env bash
# Runs the JMS anchor's jmsbench against Tributary (through the jms-provider jar) and against ActiveMQ Artemis 2.44
# (the anchor's embedded broker), one after the other on this machine, each on a fresh data directory with its
# default settings, and writes both summaries, a side-by-side table (compare.md) and a throughput chart
# (throughput.svg, perf/jms-compare-chart.py) to OUT_DIR.
#
#   perf/compare-jms-with-artemis.sh [OUT_DIR] [jmsbench options...]
#
# OUT_DIR defaults to perf-out/jms-<stamp>. Needs ../shared/anchors/jms beside the checkout (JMS_ANCHOR to
# override). Default: every jmsbench workload (a-f), bounded so that a run stays short on a 2-core machine:
# 50,000 messages for a, b, e and f (jmsbench: 200,000), a 10,000-message warm-up, and at most 60 s per workload
# (a workload still running then is reported INCOMPLETE). Both brokers listen on 127.0.0.1 only.
# Environment: TRIB_PORT, ARTEMIS_PORT; TRIB_URL_QUERY (connection options for the provider's URL, e.g.
# kafka.batch.size=262144); SKIP_BUILD=1 (use the jars already built); SKIP_ARTEMIS=1 (Tributary only).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ANCHOR=${JMS_ANCHOR:-$ROOT/../shared/anchors/jms}
[[ -d $ANCHOR ]] || ANCHOR=/work/shared/anchors/jms
[[ -x $ANCHOR/bench.sh ]] || { echo "compare-jms-with-artemis: no JMS anchor at $ANCHOR (set JMS_ANCHOR)" >&2; exit 2; }
OUT=${1:-$ROOT/perf-out/jms-$(date +%Y%m%d-%H%M%S)}
shift || true
BENCH_ARGS=("$@")
[[ ${#BENCH_ARGS[@]} -gt 0 ]] || BENCH_ARGS=(--messages 50000 --timeout 60 --warmup 10000)
TRIB_PORT=${TRIB_PORT:-19492}
ARTEMIS_PORT=${ARTEMIS_PORT:-61626}
TRIB_URL="127.0.0.1:$TRIB_PORT"
[[ -z ${TRIB_URL_QUERY:-} ]] || TRIB_URL="tributary://$TRIB_URL?$TRIB_URL_QUERY"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

if [[ -z ${SKIP_BUILD:-} ]]; then
    echo "== building the broker and the provider's class path (perf/target/lib, which holds the provider jar)" >&2
    mvn -q -B -ntp -DskipTests -pl broker,perf -am package >&2
fi
# every jar there but the logging backend: without one the Kafka clients inside the provider log nothing, as
# jmsbench asks of the Artemis client (logback with no configuration would log at DEBUG)
PROVIDER_CP=$(ls "$ROOT"/perf/target/lib/*.jar | grep -v '/logback-' | paste -sd: -)
echo "== Tributary on 127.0.0.1:$TRIB_PORT" >&2
TDATA=$(mktemp -d /tmp/jms-compare-tributary-XXXXXX)
"$ROOT/bin/tributary" --override "listeners=PLAINTEXT://127.0.0.1:$TRIB_PORT" --override "log.dirs=$TDATA" \
    > "$OUT/tributary-broker.out" 2>&1 &
TPID=$!
trap 'kill $TPID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "Tributary started" "$OUT/tributary-broker.out" && break; sleep 1; done
grep -q "Tributary started" "$OUT/tributary-broker.out" || { echo "Tributary did not start" >&2; exit 1; }
BPID=$(pgrep -f "log.dirs=$TDATA" | head -n 1)
RESULTS_DIR=$OUT RUN_ID=tributary BROKER_PID=$BPID "$ANCHOR/bench.sh" \
    --factory io.tributary.jms.TributaryConnectionFactory --url "$TRIB_URL" \
    --cp "$PROVIDER_CP" "${BENCH_ARGS[@]}" > "$OUT/tributary-console.txt" 2>&1 || true
kill "$BPID" 2>/dev/null || true
wait $TPID 2>/dev/null || true
rm -rf "$TDATA"

if [[ -z ${SKIP_ARTEMIS:-} ]]; then
echo "== Artemis on 127.0.0.1:$ARTEMIS_PORT" >&2
ADATA=$(mktemp -d /tmp/jms-compare-artemis-XXXXXX)
rmdir "$ADATA"
"$ANCHOR/artemis.sh" start "$ARTEMIS_PORT" "$ADATA" > "$OUT/artemis-start.txt" 2>&1
RESULTS_DIR=$OUT RUN_ID=artemis BROKER_PID=$(cat "$ADATA/artemis.pid") "$ANCHOR/bench.sh" \
    --url "tcp://127.0.0.1:$ARTEMIS_PORT" "${BENCH_ARGS[@]}" > "$OUT/artemis-console.txt" 2>&1 || true
"$ANCHOR/artemis.sh" stop "$ADATA" >> "$OUT/artemis-start.txt" 2>&1 || true
rm -rf "$ADATA"
fi

echo "== side by side: $OUT/compare.md" >&2
python3 - "$OUT" <<'PY'
import csv, sys, os
out = sys.argv[1]
def rows(name):
    path = os.path.join(out, name, "summary.tsv")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        lines = [l for l in f if not l.startswith("#")]
    return {r["id"]: r for r in csv.DictReader(lines, delimiter="\t")}
t, a = rows("tributary"), rows("artemis")
cols = ["send_msg_s", "recv_msg_s", "p50_ms", "p99_ms", "max_ms", "broker_cpu_s", "bench_cpu_s", "other_cpu_s", "status"]
lines = ["| id | figure | Tributary | Artemis | Tributary / Artemis |", "|---|---|---|---|---|"]
for wid in sorted(set(t) | set(a)):
    for c in cols:
        tv, av = t.get(wid, {}).get(c, "-"), a.get(wid, {}).get(c, "-")
        try:
            ratio = "%.2f" % (float(tv) / float(av))
        except (ValueError, ZeroDivisionError):
            ratio = "-"
        lines.append(f"| {wid} | {c} | {tv} | {av} | {ratio} |")
open(os.path.join(out, "compare.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
python3 "$ROOT/perf/jms-compare-chart.py" "$OUT" && echo "== chart: $OUT/throughput.svg" >&2
