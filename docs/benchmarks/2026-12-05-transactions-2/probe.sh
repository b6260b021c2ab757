#!/bin/bash
# probe.sh SYSTEM(after|before|kafka) RECORDS -> ProducerPerformance t-like with --print-metrics; prints txn metrics
# (paths are this session's: the worktree /work/wt/txperf and the copy of main's broker jars in /tmp/txperf-base)
sys=$1; n=${2:-300000}; A=/work/shared/anchors/kafka; D=/tmp/txperf-probe-data; rm -rf $D; mkdir -p $D
CP=$($A/kafka.sh classpath tools)
JVM=(-Xms32m -Xmx1g -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m -Xss512k)
case $sys in
  after) cp="/work/wt/txperf/broker/target/lib/*:/work/wt/txperf/broker/target/broker-0.1.0-SNAPSHOT.jar" ;;
  before) cp="/tmp/txperf-base/lib/*:/tmp/txperf-base/broker-0.1.0-SNAPSHOT.jar" ;;
esac
if [[ $sys == kafka ]]; then $A/kafka.sh start 26192 $D >/dev/null 2>&1; port=26192
else java "${JVM[@]}" -cp "$cp" io.tributary.broker.Main --override log.dirs=$D/log --override listeners=PLAINTEXT://127.0.0.1:26092 >/tmp/txperf-probe-broker.log 2>&1 & pid=$!; port=26092
  until (exec 3<>/dev/tcp/127.0.0.1/26092) 2>/dev/null; do sleep 0.2; done; fi
java -Xmx512m -cp "$CP" org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$port --create --topic probe --partitions 6 --replication-factor 1 >/dev/null 2>&1
java -Xmx512m -Dlog4j2.configurationFile=$A/log4j2-tools.properties -cp "$CP" org.apache.kafka.tools.ProducerPerformance --bootstrap-server 127.0.0.1:$port --topic probe --num-records $n --record-size 1024 --throughput -1 --producer-props acks=all enable.idempotence=true linger.ms=5 batch.size=131072 compression.type=none --transactional-id probe-txn --transaction-duration-ms 100 --print-metrics > /tmp/txperf-probe-$sys.out 2>&1
grep -E "records sent.*avg latency|txn-commit-time-ns-total|txn-begin|flush-time-ns-total|commit-time|record-queue-time-avg|request-latency-avg|produce-throttle|batch-size-avg|records-per-request-avg|requests-in-flight|bufferpool-wait-time-ns-total|record-send-rate|request-rate " /tmp/txperf-probe-$sys.out | grep -v "node-" | tail -20
if [[ $sys == kafka ]]; then $A/kafka.sh stop $D >/dev/null 2>&1; else kill $pid; wait $pid; fi
rm -rf $D
