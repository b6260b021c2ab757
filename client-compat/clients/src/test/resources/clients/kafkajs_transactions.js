// kafkajs transactions: a committed and an aborted transaction, then consume-transform-produce with
// sendOffsets (TxnOffsetCommit v0-v1, no member id) while the consumer group has a member.
// Usage: node kafkajs_transactions.js BOOTSTRAP IN_TOPIC OUT_TOPIC GROUP
// Prints name=value result lines.
const { Kafka, logLevel } = require('kafkajs');

const [bootstrap, inTopic, outTopic, group] = process.argv.slice(2);
const COUNT = 10;

async function main() {
  const kafka = new Kafka({ clientId: 'kafkajs-tx', brokers: [bootstrap], logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: inTopic, numPartitions: 2 }, { topic: outTopic, numPartitions: 2 }],
    waitForLeaders: true,
  });

  const producer = kafka.producer({ transactionalId: `${group}-tx`, maxInFlightRequests: 1, idempotent: true });
  await producer.connect();
  let tx = await producer.transaction();
  await tx.send({ topic: inTopic, messages: [...Array(COUNT).keys()].map((i) => ({ key: `k${i}`, value: `committed-${i}` })) });
  await tx.commit();
  tx = await producer.transaction();
  await tx.send({ topic: inTopic, messages: [...Array(5).keys()].map((i) => ({ key: `k${i}`, value: `aborted-${i}` })) });
  await tx.abort();

  // read_committed (kafkajs' default): only the committed records, each sent on upper-cased in one transaction
  // together with the group's offsets
  const consumer = kafka.consumer({ groupId: group, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic: inTopic, fromBeginning: true });
  const seen = [];
  tx = await producer.transaction();
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out with ${seen.length} records`)), 60000);
    consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        seen.push(message.value.toString());
        await tx.send({ topic: outTopic, messages: [{ key: message.key, value: message.value.toString().toUpperCase() }] });
        await tx.sendOffsets({
          consumerGroupId: group,
          topics: [{ topic, partitions: [{ partition, offset: (BigInt(message.offset) + 1n).toString() }] }],
        });
        if (seen.length === COUNT) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await tx.commit();
  await consumer.disconnect();

  const offsets = await admin.fetchOffsets({ groupId: group, topics: [inTopic] });
  const committedTotal = offsets[0].partitions.reduce((sum, p) => sum + parseInt(p.offset, 10), 0);

  const reader = kafka.consumer({ groupId: `${group}-reader`, readUncommitted: false });
  await reader.connect();
  await reader.subscribe({ topic: outTopic, fromBeginning: true });
  const out = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out reading ${outTopic} with ${out.length}`)), 60000);
    reader.run({
      eachMessage: async ({ message }) => {
        out.push(message.value.toString());
        if (out.length === COUNT) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await reader.disconnect();
  await producer.disconnect();
  await admin.disconnect();

  const byNumber = (a, b) => parseInt(a.split('-')[1], 10) - parseInt(b.split('-')[1], 10);
  console.log(`seen=${seen.slice().sort(byNumber).join(',')}`);
  console.log(`out=${out.slice().sort(byNumber).join(',')}`);
  // each committed record's offset + 1 per partition, summed: the group resumes after what it transformed
  console.log(`committed_offsets=${committedTotal}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  },
);
