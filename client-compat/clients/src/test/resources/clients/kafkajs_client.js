// kafkajs against a Tributary broker, driven by KafkaJsIT.
//
// usage: NODE_PATH=<dir>/node_modules node kafkajs_client.js BOOTSTRAP TOPIC GROUP COUNT
//
// Creates TOPIC (2 partitions) with the admin client, sends COUNT records (acks=all, gzip), reads them
// with a consumer in GROUP through eachMessage (kafkajs commits after each batch), then with the admin
// client reads the topic's offsets (latest and by timestamp) and the group's committed offsets, describes
// the group and deletes it. Prints one `name=value` line per
// result for the test to check; exits non-zero on any error.
'use strict';
const { Kafka, logLevel, CompressionTypes, Partitioners } = require('kafkajs');

const [bootstrap, topic, group, countArg] = process.argv.slice(2);
const count = parseInt(countArg, 10);
const PARTITIONS = 2;

const kafka = new Kafka({
  clientId: 'tributary-compat',
  brokers: [bootstrap],
  logLevel: logLevel.WARN,
  retry: { retries: 5, initialRetryTime: 200 },
});

function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function committedTotal(admin) {
  const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  return offsets[0].partitions.reduce((sum, p) => sum + Math.max(0, parseInt(p.offset, 10)), 0);
}

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
    waitForLeaders: true,
  });

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const messages = [];
  for (let i = 0; i < count; i++) {
    messages.push({ key: `k${i}`, value: `value-${i}` });
  }
  const acks = await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages });
  await producer.disconnect();

  // kafkajs commits a batch's offsets around its next fetch, so a short fetch wait makes the last commit prompt.
  const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10000, heartbeatInterval: 1000, maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const consumed = [];
  const allConsumed = new Promise((resolve) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        consumed.push(message.value.toString());
        if (consumed.length >= count) {
          resolve();
        }
      },
    });
  });
  await within(40000, 'consuming', allConsumed);
  // The commit of the last batch follows eachMessage; wait for it before leaving the group.
  const deadline = Date.now() + 10000;
  let committed = await committedTotal(admin);
  while (committed < count && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    committed = await committedTotal(admin);
  }
  await consumer.disconnect();

  const topicOffsets = await admin.fetchTopicOffsets(topic);
  const byTimestamp = await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() - 3600 * 1000);
  const topics = await admin.listTopics();
  const described = await admin.describeGroups([group]);
  await admin.deleteGroups([group]);
  const groupsAfterDelete = await admin.listGroups();
  await admin.disconnect();

  const byNumber = (a, b) => parseInt(a.split('-')[1], 10) - parseInt(b.split('-')[1], 10);
  console.log(`created=${created}`);
  console.log(`acked=${acks.map((a) => a.errorCode).filter((c) => c === 0).length}/${acks.length}`);
  console.log(`consumed=${consumed.slice().sort(byNumber).join(',')}`);
  console.log(`committed=${committed}`);
  console.log(`high=${topicOffsets.reduce((sum, p) => sum + parseInt(p.high, 10), 0)}`);
  console.log(`low=${topicOffsets.reduce((sum, p) => sum + parseInt(p.low, 10), 0)}`);
  console.log(`partitions=${topicOffsets.length}`);
  console.log(`listed=${topics.includes(topic)}`);
  console.log(`offsets_an_hour_ago=${byTimestamp.map((p) => p.offset).join(',')}`);
  console.log(`group_state=${described.groups[0].state}`);
  console.log(`group_listed_after_delete=${groupsAfterDelete.groups.some((g) => g.groupId === group)}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  },
);
