#!/usr/bin/env python3
"""confluent-kafka-python (librdkafka) against a Tributary broker, driven by ConfluentKafkaPythonIT.

usage: confluent_kafka_client.py BOOTSTRAP TOPIC GROUP COUNT

Creates TOPIC (3 partitions) and TOPIC-times (1) with the AdminClient, sends COUNT records to TOPIC and 10
records 1 s apart in create time to TOPIC-times with an idempotent, acks=all, zstd-compressed Producer,
reads TOPIC back with a Consumer in GROUP, commits, looks up the offset for a time in TOPIC-times, and
lists the cluster's metadata. Prints one `name=value` line per result for the test to check; exits non-zero on any error.
"""
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

PARTITIONS = 3


def main(bootstrap, topic, group, count):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    times_topic = topic + "-times"
    created = admin.create_topics([NewTopic(topic, num_partitions=PARTITIONS, replication_factor=1),
                                   NewTopic(times_topic, num_partitions=1, replication_factor=1)])
    for future in created.values():
        future.result(15)

    delivered, errors = [], []

    def on_delivery(err, msg):
        if err is not None:
            errors.append(str(err))
        else:
            delivered.append((msg.partition(), msg.offset()))

    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all",
                         "compression.type": "zstd", "linger.ms": 50, "message.timeout.ms": 20000})
    for i in range(count):
        producer.produce(topic, key="k%d" % i, value="value-%d" % i, on_delivery=on_delivery)
    t0 = int(time.time() * 1000) - 60000
    for i in range(10):
        producer.produce(times_topic, value="t%d" % i, partition=0, timestamp=t0 + i * 1000, on_delivery=on_delivery)
    unsent = producer.flush(25)

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                         "enable.auto.commit": False, "session.timeout.ms": 10000})
    consumer.subscribe([topic])
    consumed = []
    deadline = time.monotonic() + 30
    while len(consumed) < count and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            raise KafkaException(msg.error())
        consumed.append(msg.value().decode())
    consumer.commit(asynchronous=False)
    committed = consumer.committed([TopicPartition(topic, p) for p in range(PARTITIONS)], timeout=10)
    by_time = consumer.offsets_for_times([TopicPartition(times_topic, 0, t0 + 5500)], timeout=10)
    consumer.close()

    metadata = admin.list_topics(timeout=10)
    print("unsent=%d" % unsent)
    print("errors=%s" % ";".join(errors))
    print("delivered=%d" % len(delivered))
    print("offset_for_time=%d" % by_time[0].offset)
    print("consumed=%s" % ",".join(sorted(consumed, key=lambda v: int(v.split("-")[1]))))
    print("committed=%d" % sum(tp.offset for tp in committed if tp.offset >= 0))
    print("brokers=%s" % ",".join("%d@%s:%d" % (b.id, b.host, b.port) for b in metadata.brokers.values()))
    print("partitions=%d" % len(metadata.topics[topic].partitions))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
