#!/usr/bin/env bash
# A bare KafkaShareConsumer against a fresh Tributary broker: 20,000 x 1 KiB records already on a one-partition topic,
# received with explicit acknowledgement (commitAsync per record, or per poll) and with implicit acknowledgement;
# prints msg/s and the size and duration of each poll. Run from the repository root after
# `mvn -q -B -ntp -DskipTests -pl broker,perf -am package`, under `flock /tmp/tributary-perf.lock`.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
PORT=${PORT:-24192}
WORK=$(mktemp -d /tmp/share-probe-XXXXXX)
CP="$WORK:$(ls "$ROOT"/perf/target/lib/*.jar | grep -v logback | paste -sd: -)"
javac -cp "$CP" -d "$WORK" "$HERE/Diag.java"
"$ROOT/bin/tributary" --override "listeners=PLAINTEXT://127.0.0.1:$PORT" --override "log.dirs=$WORK/data" \
    > "$WORK/broker.out" 2>&1 &
TPID=$!
for _ in $(seq 1 120); do grep -q "Tributary started" "$WORK/broker.out" 2>/dev/null && break; sleep 1; done
BPID=$(pgrep -f "log.dirs=$WORK/data" | head -n 1)
uptime
for m in explicit-each explicit-batch implicit; do
  timeout 120 java -cp "$CP" Diag "127.0.0.1:$PORT" 20000 "$m" 2>&1 | grep -v -i slf4j | tail -2
done
uptime
kill "$BPID"; wait "$TPID" 2>/dev/null; rm -rf "$WORK"
