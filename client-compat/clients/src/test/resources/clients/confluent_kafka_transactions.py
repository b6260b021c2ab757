#!/usr/bin/env python3
"""confluent-kafka-python (librdkafka) transactions against a Tributary broker, driven by ConfluentKafkaPythonIT.

usage: confluent_kafka_transactions.py BOOTSTRAP IN_TOPIC OUT_TOPIC GROUP

Commits one transaction and aborts another on IN_TOPIC, reads IN_TOPIC read_committed in GROUP and sends each
record on, upper-cased, to OUT_TOPIC in one transaction with the group's offsets (send_offsets_to_transaction),
reads OUT_TOPIC back, then starts a second producer with the same transactional.id and checks that the first is
fenced. Prints one `name=value` line per result for the test to check; exits non-zero on any error.
"""
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

COUNT = 10


def read(consumer, count, deadline_s=60):
    values, deadline = [], time.time() + deadline_s
    while len(values) < count and time.time() < deadline:
        msg = consumer.poll(1.0)
        if msg is None:
            continue
        if msg.error():
            raise KafkaException(msg.error())
        values.append(msg)
    return values


def main(bootstrap, in_topic, out_topic, group):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    for future in admin.create_topics([NewTopic(in_topic, num_partitions=2, replication_factor=1),
                                       NewTopic(out_topic, num_partitions=2, replication_factor=1)]).values():
        future.result(15)

    transactional_id = group + "-tx"
    producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": transactional_id})
    producer.init_transactions(30)
    producer.begin_transaction()
    for i in range(COUNT):
        producer.produce(in_topic, key="k%d" % i, value="committed-%d" % i)
    producer.commit_transaction(30)
    producer.begin_transaction()
    for i in range(5):
        producer.produce(in_topic, key="k%d" % i, value="aborted-%d" % i)
    producer.abort_transaction(30)

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                         "enable.auto.commit": False, "isolation.level": "read_committed"})
    consumer.subscribe([in_topic])
    producer.begin_transaction()
    seen = []
    for msg in read(consumer, COUNT):
        seen.append(msg.value().decode())
        producer.produce(out_topic, key=msg.key(), value=msg.value().decode().upper())
    producer.send_offsets_to_transaction(consumer.position(consumer.assignment()),
                                         consumer.consumer_group_metadata(), 30)
    producer.commit_transaction(30)
    consumer.close()

    reader = Consumer({"bootstrap.servers": bootstrap, "group.id": group + "-reader", "auto.offset.reset": "earliest",
                       "isolation.level": "read_committed"})
    reader.subscribe([out_topic])
    out = [m.value().decode() for m in read(reader, COUNT)]
    reader.close()

    checker = Consumer({"bootstrap.servers": bootstrap, "group.id": group})
    committed = checker.committed([TopicPartition(in_topic, 0), TopicPartition(in_topic, 1)], 30)
    checker.close()

    successor = Producer({"bootstrap.servers": bootstrap, "transactional.id": transactional_id})
    successor.init_transactions(30)
    fenced = "no"
    try:
        producer.begin_transaction()
        producer.produce(in_topic, value="zombie")
        producer.commit_transaction(30)
    except KafkaException as e:
        fenced = e.args[0].name()

    by_number = lambda v: int(v.split("-")[1])
    print("seen=" + ",".join(sorted(seen, key=by_number)))
    print("out=" + ",".join(sorted(out, key=by_number)))
    print("committed_errors=" + ",".join(str(tp.error) for tp in committed if tp.error is not None))
    print("committed_positive=" + str(all(tp.offset > 0 for tp in committed)))
    print("fenced=" + fenced)


if __name__ == "__main__":
    main(*sys.argv[1:5])
