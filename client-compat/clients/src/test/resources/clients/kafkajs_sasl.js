// kafkajs with SASL against a Tributary broker, driven by KafkaJsSaslIT.
//
// usage: NODE_PATH=<dir>/node_modules node kafkajs_sasl.js BOOTSTRAP MECHANISM USER PASSWORD WRONG_PASSWORD TOPIC
//
// Authenticates with MECHANISM (plain, scram-sha-256, scram-sha-512) over SASL_PLAINTEXT, creates TOPIC,
// sends 3 records and reads them back with a consumer; then tries the admin client with WRONG_PASSWORD.
// Prints `name=value` lines; exits non-zero on an unexpected error.
'use strict';
const { Kafka, logLevel } = require('kafkajs');

const [bootstrap, mechanism, username, password, wrongPassword, topic] = process.argv.slice(2);

function client(pw) {
  return new Kafka({
    clientId: 'tributary-compat-sasl',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 2, initialRetryTime: 200 },
    sasl: { mechanism, username, password: pw },
  });
}

async function main() {
  const kafka = client(password);
  const admin = kafka.admin();
  await admin.connect();
  console.log(`created=${await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })}`);
  await admin.disconnect();

  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: 'kafkajs-sasl-group' });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('consume timed out')), 30000);
    consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value.toString());
        if (values.length === 3) {
          clearTimeout(timer);
          resolve();
        }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  console.log(`consumed=${values.join(',')}`);

  const wrong = client(wrongPassword).admin();
  try {
    await wrong.connect();
    console.log('wrong_password_error=none');
  } catch (e) {
    console.log(`wrong_password_error=${e.name}`);
  } finally {
    await wrong.disconnect().catch(() => {});
  }
}

main().then(() => process.exit(0)).catch((e) => {
  console.error(e);
  process.exit(1);
});
