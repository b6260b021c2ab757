#!/usr/bin/env python3
"""kafka-python (the pure-Python client) against a Tributary broker, driven by KafkaPythonIT.

usage: kafka_python_client.py BOOTSTRAP TOPIC GROUP COUNT

Creates TOPIC (3 partitions) and TOPIC-codecs (1) with KafkaAdminClient, tries to create TOPIC again, lists
and describes the topics. Sends COUNT records with keys and headers to TOPIC (acks=all), and 10 records with
each of gzip, snappy, lz4 and zstd to TOPIC-codecs (acks=1). Reads TOPIC in GROUP with one consumer that
stops after about half and commits, then a second consumer in the same group that resumes from the committed
offsets, reads the rest and commits; lists the group's offsets and describes it. Prints one `name=value` line
per result for the test to check; exits non-zero on any unexpected error.
"""
import sys
import time

import kafka
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

PARTITIONS = 3
CODECS = ("gzip", "snappy", "lz4", "zstd")
TIMEOUT_S = 15


def create_topics(admin, topic):
    admin.create_topics([NewTopic(topic, PARTITIONS, 1), NewTopic(topic + "-codecs", 1, 1)], timeout_ms=10000)
    try:
        admin.create_topics([NewTopic(topic, PARTITIONS, 1)], timeout_ms=10000)
        return "none"
    except TopicAlreadyExistsError as e:
        return str(e.errno)


def produce(bootstrap, topic, count):
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=20, request_timeout_ms=10000,
                             max_block_ms=10000)
    futures = [producer.send(topic, key=b"k%d" % i, value=b"value-%d" % i, headers=[("index", b"%d" % i)])
               for i in range(count)]
    producer.flush(TIMEOUT_S)
    errors, delivered = [], 0
    for future in futures:
        try:
            future.get(timeout=TIMEOUT_S)
            delivered += 1
        except Exception as e:  # every failed send is reported to the test, not just the first
            errors.append("%s: %s" % (type(e).__name__, e))
    producer.close(5)
    return delivered, errors


def produce_codecs(bootstrap, topic):
    delivered = 0
    for codec in CODECS:
        # A linger, so that the 10 records share one batch and the codec shows on disk.
        producer = KafkaProducer(bootstrap_servers=bootstrap, acks=1, compression_type=codec, linger_ms=100,
                                 request_timeout_ms=10000, max_block_ms=10000)
        futures = [producer.send(topic, value=b"%s-%d" % (codec.encode(), i), partition=0) for i in range(10)]
        producer.flush(TIMEOUT_S)
        for future in futures:
            future.get(timeout=TIMEOUT_S)
            delivered += 1
        producer.close(5)
    return delivered


def consume(bootstrap, topic, group, wanted):
    """Reads up to `wanted` records in `group`, commits what it returned, leaves; returns the records and the
    committed offsets summed over the partitions."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest",
                             enable_auto_commit=False, session_timeout_ms=10000, heartbeat_interval_ms=1000,
                             request_timeout_ms=11000)
    consumer.subscribe([topic])
    records = []
    deadline = time.monotonic() + TIMEOUT_S
    while len(records) < wanted and time.monotonic() < deadline:
        for batch in consumer.poll(timeout_ms=200, max_records=wanted - len(records)).values():
            records.extend(batch)
    consumer.commit()
    committed = sum(consumer.committed(TopicPartition(topic, p)) or 0 for p in range(PARTITIONS))
    consumer.close()
    return records, committed


def key_and_headers_match(record):
    index = record.value.decode().split("-")[1]
    return record.key == ("k" + index).encode() and record.headers == [("index", index.encode())]


def main(bootstrap, topic, group, count):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    print("version=%s" % kafka.__version__)
    print("broker_version_guess=%s" % ".".join(map(str, admin.config["api_version"])))
    print("already_exists=%s" % create_topics(admin, topic))
    print("listed=%s" % ",".join(sorted(t for t in admin.list_topics() if t.startswith(topic))))
    print("partitions=%d" % len(admin.describe_topics([topic])[0]["partitions"]))

    delivered, errors = produce(bootstrap, topic, count)
    print("delivered=%d" % delivered)
    print("errors=%s" % ";".join(errors))
    print("codec_delivered=%d" % produce_codecs(bootstrap, topic + "-codecs"))

    first, first_committed = consume(bootstrap, topic, group, count // 2)
    second, committed = consume(bootstrap, topic, group, count - len(first))
    values = [r.value.decode() for r in first + second]
    print("first_read=%d" % len(first))
    print("first_committed=%d" % first_committed)
    print("second_read=%d" % len(second))
    print("committed=%d" % committed)
    print("consumed=%s" % ",".join(sorted(values, key=lambda v: int(v.split("-")[1]))))
    print("keys_and_headers=%s" % all(key_and_headers_match(r) for r in first + second))

    offsets = admin.list_consumer_group_offsets(group)
    print("group_offsets=%d" % sum(o.offset for tp, o in offsets.items() if tp.topic == topic))
    print("group_state=%s" % admin.describe_consumer_groups([group])[0].state)
    admin.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
