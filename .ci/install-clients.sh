#!/usr/bin/env bash
# Installs the third-party Kafka clients that client-compat's integration tests drive:
#   kcat and python3-confluent-kafka (both on librdkafka), python3-kafka (kafka-python) with the
#   snappy, lz4 and zstandard modules it compresses with, Node.js + npm, and kafkajs from npm.
# Needs root (apt-get). Idempotent: what is already installed is left alone, and apt-get update runs
# at most once, only when something is missing. Written for a fresh Debian 12 machine.
#
# kafkajs goes into $TRIBUTARY_NODE_DIR (default ~/.cache/tributary/node); KafkaJsIT looks there too.
set -euo pipefail

KAFKAJS_VERSION=2.2.4
NODE_DIR=${TRIBUTARY_NODE_DIR:-$HOME/.cache/tributary/node}

if [ "$(id -u)" -ne 0 ]; then
  echo "install-clients.sh: needs root (apt-get install)" >&2
  exit 1
fi

missing=()
command -v kcat >/dev/null || missing+=(kcat)
# Debian's python3-confluent-kafka lives in the system interpreter, not in a pyenv/venv one.
/usr/bin/python3 -c 'import confluent_kafka' >/dev/null 2>&1 || missing+=(python3 python3-confluent-kafka)
/usr/bin/python3 -c 'import kafka, snappy, lz4.frame, zstandard' >/dev/null 2>&1 ||
  missing+=(python3 python3-kafka python3-snappy python3-lz4 python3-zstandard)
command -v node >/dev/null || missing+=(nodejs)
# A NodeSource nodejs already ships npm and conflicts with Debian's npm package.
command -v npm >/dev/null || missing+=(npm)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -f "$NODE_DIR/node_modules/kafkajs/package.json" ] ||
   ! grep -q "\"version\": \"$KAFKAJS_VERSION\"" "$NODE_DIR/node_modules/kafkajs/package.json"; then
  echo "== installing kafkajs@$KAFKAJS_VERSION into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  npm install --silent --no-audit --no-fund --prefix "$NODE_DIR" "kafkajs@$KAFKAJS_VERSION"
fi

echo "== clients: kcat $(kcat -V 2>&1 | grep -m1 -o 'Version [0-9.]*' | cut -d' ' -f2), " \
     "confluent-kafka $(/usr/bin/python3 -c 'import confluent_kafka; print(confluent_kafka.version()[0], "librdkafka", confluent_kafka.libversion()[0])'), " \
     "kafka-python $(/usr/bin/python3 -c 'import kafka; print(kafka.__version__)'), " \
     "node $(node --version), kafkajs $KAFKAJS_VERSION"
