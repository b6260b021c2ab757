#!/usr/bin/env bash
# Tributary only: one broker with an SSL listener (port 25210), a SASL_SSL one (25211, PLAIN) and a PLAINTEXT one
# (25212, for reference: PROTOCOLS="SSL SASL_SSL PLAINTEXT"), one topic of
# RECORDS x 1 KiB produced over SSL, then N consumes over each of PROTOCOLS ("SSL SASL_SSL") alternated (--no-group, as workload e of
# perf/compare-tls-with-kafka.sh). Per consume: the tool's records/s, fetch-only records/s and ms to the first
# record, the client JVM's user and system CPU seconds (/usr/bin/time), the broker's CPU seconds (/proc).
# Run under the perf lock after `mvn -B -q -DskipTests -pl broker,perf -am package`.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../../.." && pwd); D=${PROBE_DIR:-/tmp/saslperf-probe}; C=$D/certs; P=tls-bench-secret
RECORDS=${RECORDS:-200000}; N=${N:-3}; PROTOCOLS=${PROTOCOLS:-SSL SASL_SSL}
rm -rf $D/data; mkdir -p $D/data $D/out $C
if [[ ! -f $C/truststore.p12 ]]; then
  keytool -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity 30 -dname CN=localhost -ext SAN=ip:127.0.0.1,dns:localhost \
    -storetype PKCS12 -keystore $C/server.p12 -storepass $P -keypass $P >/dev/null 2>&1 || exit 1
  keytool -exportcert -alias broker -keystore $C/server.p12 -storepass $P -rfc -file $C/server.pem >/dev/null 2>&1 || exit 1
  keytool -importcert -noprompt -alias broker -file $C/server.pem -storetype PKCS12 -keystore $C/truststore.p12 \
    -storepass $P >/dev/null 2>&1 || exit 1
fi
"$REPO/bin/tributary" "$REPO/config/tributary.properties" --override log.dirs=$D/data/log \
  --override listeners=SSL://127.0.0.1:25210,SASL_SSL://127.0.0.1:25211,PLAINTEXT://127.0.0.1:25212 \
  --override ssl.keystore.type=PKCS12 --override ssl.keystore.location=$C/server.p12 --override ssl.keystore.password=$P --override ssl.key.password=$P \
  --override sasl.enabled.mechanisms=PLAIN \
  --override 'listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_admin="admin-secret";' \
  ${BROKER_EXTRA:-} >$D/out/broker.log 2>&1 </dev/null &
BP=$!
trap 'kill -TERM $BP; wait $BP' EXIT
for i in $(seq 600); do grep -q "Tributary started" $D/out/broker.log && break; kill -0 $BP || exit 1; sleep 0.1; done
grep -i "listener\|TLS by" $D/out/broker.log | head
props() {
  echo --transport-prop; echo security.protocol=$1; [[ $1 == PLAINTEXT ]] && return; echo --transport-prop; echo ssl.truststore.type=PKCS12
  echo --transport-prop; echo ssl.truststore.location=$C/truststore.p12; echo --transport-prop; echo ssl.truststore.password=$P
  if [[ $1 == SASL_SSL ]]; then echo --transport-prop; echo sasl.mechanism=PLAIN; echo --transport-prop
    echo 'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret";'; fi
}
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' /proc/$BP/stat; }
TOOL="java -Xmx1g -cp $REPO/perf/target/lib/*:$(ls $REPO/perf/target/perf-*.jar | grep -v -e tests -e sources | head -1) io.tributary.perf.Main"
mapfile -t pp < <(props SSL)
$TOOL produce --bootstrap 127.0.0.1:25210 --out $D/out --label a --partitions 6 --topic t1 --records $RECORDS --record-size 1024 --acks 1 --linger-ms 5 --batch-size 131072 --compression none "${pp[@]}" >$D/out/a.out 2>&1 || { tail $D/out/a.out; exit 1; }
printf 'proto\trec_per_s\tfetch_rec_per_s\tfirst_ms\tclient_user\tclient_sys\tbroker_cpu\n'
for ((k = 1; k <= N; k++)); do
  for proto in $PROTOCOLS; do
    port=25210; [[ $proto == SASL_SSL ]] && port=25211; [[ $proto == PLAINTEXT ]] && port=25212
    mapfile -t pp < <(props $proto)
    t0=$(ticks)
    /usr/bin/time -f '%U %S' -o $D/out/time.txt $TOOL consume --bootstrap 127.0.0.1:$port --out $D/out --label e-$proto-$k --topic t1 --records $RECORDS --idle-timeout 30s --no-group "${pp[@]}" >$D/out/e-$proto-$k.out 2>&1
    t1=$(ticks)
    f=$D/out/e-$proto-$k.properties
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' $proto "$(sed -n 's/^rec_per_s=//p' $f)" "$(sed -n 's/^fetch_rec_per_s=//p' $f)" "$(sed -n 's/^join_ms=//p' $f)" "$(cat $D/out/time.txt | tr ' ' '\t')" "$(awk -v a=$t0 -v b=$t1 'BEGIN{print (b-a)/100}')"
  done
done
