#!/usr/bin/env bash
# How long Tributary takes to start over a large log: after a clean stop, and after SIGKILL.
#
#   broker/scripts/startup-large-log.sh [RECORDS] [PORT]      (defaults: 4000000 records of 1000 B, port 29092)
#
# Fills a fresh data directory under $TMPDIR with Kafka's ProducerPerformance (6 partitions), stops the
# broker with SIGTERM, starts it again, kills it with SIGKILL, starts it again, and prints the broker's own
# timing lines of each start ("Opened the log in", "Loaded producer state", "Tributary started in").
# Needs the Kafka anchor kit beside the checkout for the tool's class path (ANCHOR to override).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
records=${1:-4000000}
port=${2:-29092}
anchor=${ANCHOR:-$(cd "$root/.." && pwd)/shared/anchors/kafka}
[[ -x $anchor/kafka.sh ]] || { echo "Kafka anchor not found at $anchor (set ANCHOR)" >&2; exit 2; }
tools_cp=$("$anchor/kafka.sh" classpath tools)
data=$(mktemp -d "${TMPDIR:-/tmp}/tributary-large-log.XXXXXX")
pid=""
trap '[[ -n $pid ]] && kill -9 "$pid" 2>/dev/null; rm -rf "$data"' EXIT

start() { # NAME: starts the broker, waits for its started line
  "$root/bin/tributary" --override "log.dirs=$data/log" --override "listeners=PLAINTEXT://127.0.0.1:$port" \
    >"$data/$1.log" 2>&1 &
  pid=$!
  until grep -q "Tributary started in" "$data/$1.log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$data/$1.log" >&2; exit 1; }
    sleep 0.1
  done
}
report() { # NAME
  echo "== $1"
  grep -E "Opened the log in|Loaded producer state|Tributary started in" "$data/$1.log" | sed -E 's/^[0-9:.]+ INFO +\[main\] //'
}

start fill
java -cp "$tools_cp" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$port" --create \
  --topic big --partitions 6 >/dev/null
java -cp "$tools_cp" org.apache.kafka.tools.ProducerPerformance --topic big --num-records "$records" \
  --record-size 1000 --throughput -1 --producer-props "bootstrap.servers=127.0.0.1:$port" linger.ms=5 | tail -n 1
echo "data: $(du -sh "$data/log" | cut -f1)"
kill "$pid"; wait "$pid" || true

start after-clean-stop
report after-clean-stop
kill -9 "$pid"; wait "$pid" 2>/dev/null || true

start after-sigkill
report after-sigkill
kill "$pid"; wait "$pid" || true
pid=""
