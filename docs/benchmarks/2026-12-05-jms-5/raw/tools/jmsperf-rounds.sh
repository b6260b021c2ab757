#!/usr/bin/env bash
# usage: jmsperf-rounds.sh OUTBASE ROUNDS "label=query" ... ; runs under the perf lock
set -u
OUTBASE=$1; ROUNDS=$2; shift 2
cd /work/wt/jmsperf
ARGS=(--workloads c,e,f --messages 20000 --timeout 60 --warmup 5000)
for r in $(seq 1 $ROUNDS); do
  for v in "$@"; do
    label=${v%%=*}; query=${v#*=}
    uptime > $OUTBASE/uptime-r$r-$label-before.txt
    SKIP_BUILD=1 SKIP_ARTEMIS=1 TRIB_PORT=24192 TRIB_URL_QUERY="$query" flock /tmp/tributary-perf.lock \
      perf/compare-jms-with-artemis.sh $OUTBASE/r$r-$label "${ARGS[@]}" > $OUTBASE/r$r-$label.log 2>&1
    uptime > $OUTBASE/uptime-r$r-$label-after.txt
  done
  uptime > $OUTBASE/uptime-r$r-artemis-before.txt
  # Artemis alone: a Tributary run with SKIP_ARTEMIS unset would repeat Tributary, so run the anchor directly
  ADATA=$(mktemp -d /tmp/jms-compare-artemis-XXXXXX); rmdir $ADATA
  flock /tmp/tributary-perf.lock bash -c "
    /work/shared/anchors/jms/artemis.sh start 24716 $ADATA > $OUTBASE/r$r-artemis-start.txt 2>&1
    RESULTS_DIR=$OUTBASE/r$r-artemis RUN_ID=artemis BROKER_PID=\$(cat $ADATA/artemis.pid) /work/shared/anchors/jms/bench.sh \
      --url tcp://127.0.0.1:24716 ${ARGS[*]} > $OUTBASE/r$r-artemis-console.txt 2>&1
    /work/shared/anchors/jms/artemis.sh stop $ADATA >> $OUTBASE/r$r-artemis-start.txt 2>&1
    rm -rf $ADATA"
  uptime > $OUTBASE/uptime-r$r-artemis-after.txt
done
echo ALLDONE
