#!/usr/bin/env bash
# run.sh SYSTEM TXNS : starts that copy's broker on a fresh dir, times TXNS commits, stops it
S=$1; N=${2:-300}; PORT=19611; D=$(mktemp -d /tmp/jmstxn-ct-XXXXXX)
/tmp/jmstxn/$S/bin/tributary --override "listeners=PLAINTEXT://127.0.0.1:$PORT" --override "log.dirs=$D" > $D.out 2>&1 &
B=$!
for _ in $(seq 1 120); do grep -q "Tributary started" $D.out && break; sleep 0.5; done
CP=$(ls /tmp/jmstxn/$S/perf/target/lib/*.jar | grep -v '/logback-' | paste -sd: -)
echo "$S $(java -cp "$CP" /tmp/jmstxn/ct/CommitTimer.java 127.0.0.1:$PORT $N 2>/dev/null)"
kill $B; wait $B 2>/dev/null; rm -rf $D $D.out
