#!/usr/bin/env bash
# The fuzz case of decision 0040: one CreateTopics of 6,600 partitions to a broker under ulimit -n 20000,
# before (b340900) and after (lazyidx). Prints the tool's outcome and the broker's descriptor count.
set -u
OUT=$1; mkdir -p "$OUT"
CP=$(/work/shared/anchors/kafka/kafka.sh classpath tools | tail -1)
declare -A REPO=([before]=/tmp/lazyidx-before [after]=/work/wt/lazyidx)
PORT=19393
for side in ${SIDES:-before after}; do
  data=$(mktemp -d /tmp/lazyidx-fd.XXXX)
  (ulimit -n 20000; exec "${REPO[$side]}/bin/tributary" --override log.dirs="$data" \
     --override listeners=PLAINTEXT://127.0.0.1:$PORT) >"$OUT/broker-$side.log" 2>&1 &
  pid=$!
  for i in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.5; done
  sleep 2
  base=$(ls /proc/$pid/fd | wc -l)
  start=$(date +%s.%N)
  timeout 300 java -Xmx256m -Dlog4j2.configurationFile=/work/shared/anchors/kafka/log4j2-tools.properties -cp "$CP" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$PORT --create --topic wide \
    --partitions 6600 --replication-factor 1 >"$OUT/create-$side.txt" 2>&1
  rc=$?
  end=$(date +%s.%N)
  echo "$side: limit $(grep 'open files' /proc/$pid/limits | awk '{print $4}'), fds before $base, after $(ls /proc/$pid/fd | wc -l), TopicCommand exit $rc in $(echo "$end - $start" | bc) s, partition dirs $(ls -d "$data"/wide-* 2>/dev/null | wc -l): $(tail -1 "$OUT/create-$side.txt" | cut -c1-200)" | tee -a "$OUT/summary.txt"
  kill $pid; wait $pid 2>/dev/null
  rm -rf "$data"
done
