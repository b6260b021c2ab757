#!/usr/bin/env bash
# usage: jmsperf-profile.sh OUT WORKLOAD [query]
OUT=$1; W=$2; Q=${3:-}
mkdir -p $OUT
cd /work/wt/jmsperf
SKIP_BUILD=1 SKIP_ARTEMIS=1 TRIB_PORT=24292 TRIB_URL_QUERY="$Q" perf/compare-jms-with-artemis.sh $OUT/run --workloads $W --messages 20000 --timeout 60 --warmup 0 > $OUT/run.log 2>&1 &
CP=$!
for i in $(seq 1 600); do BP=$(pgrep -f "log.dirs=/tmp/jms-compare-tributary" | head -1); [[ -n $BP ]] && break; sleep 0.2; done
perf stat -e 'syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync,syscalls:sys_enter_write,syscalls:sys_enter_pwrite64' -p $BP -o $OUT/perf-stat.txt &
PS=$!
for i in $(seq 1 600); do JB=$(pgrep -f "anchor.jms.JmsBench" | head -1); [[ -n $JB ]] && break; sleep 0.2; done
java -cp /tmp/jmsperf-jmx KafkaMetricsPoll $JB request-total,records-per-request-avg,batch-size-avg,request-latency-avg,record-queue-time-avg,record-send-total,txn-commit-time-ns-total,txn-begin-time-ns-total,flush-time-ns-total,requests-in-flight 300 $OUT/jmx.txt > $OUT/jmx.log 2>&1 &
JP=$!
wait $CP
kill -INT $PS; kill $JP 2>/dev/null
wait
