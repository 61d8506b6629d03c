/**
 * The local server's usage writer thread (`dist/local/usage-writer.mjs`). Writing a batch of usage
 * records through the DynamoDB SDK costs milliseconds of CPU in one go (serialising, signing, the roll-up
 * update); on the server's event loop that stalls every request in flight while it runs, which is what
 * a gateway's p99 latency is made of. Here it runs beside the event loop instead, with the same store
 * code and the same SDK as on AWS, against the same embedded store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createDynamoUsageStore } from '../stores/dynamo/usage-store';
import { createLocalDynamoClient } from './embedded-dynamo';
import { isUsageWriteRequest, type UsageWriteReply, type UsageWriterConfig } from './usage-writer-protocol';

const port = parentPort;
if (port === null) throw new Error('usage-writer must run as a worker thread.');
const config = workerData as UsageWriterConfig;
const client = createLocalDynamoClient(config.endpoint);
const store = createDynamoUsageStore(client, config.tableName, { retentionDays: config.retentionDays });

port.on('message', (message: unknown) => {
  if (!isUsageWriteRequest(message)) return;
  const reply = (answer: UsageWriteReply): void => port.postMessage(answer);
  store.putUsages(message.records).then(
    () => reply({ id: message.id }),
    (error: unknown) => reply({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
