import { startHarness, type MemoryHarness } from '../support/gateway-harness';
import { useDynamo } from '../stores/dynamo-fixture';

/**
 * One caller's oversized string must not cost anyone else their usage records: with the real DynamoDB
 * store, a ~450 KB model used to make an item over DynamoDB's 400 KB limit and sink the whole batch it
 * was written in, other keys' records included.
 */
const dynamo = useDynamo();
let harness: MemoryHarness;

beforeAll(async () => {
  harness = await startHarness({ stores: dynamo().stores });
});
afterAll(async () => {
  await harness.close();
});

const messages = [{ role: 'user', content: 'hi' }];

it('records every good request sent alongside oversized models, and none of the oversized ones', async () => {
  const from = new Date(Date.now() - 1000).toISOString();
  const good = Array.from({ length: 12 }, () => harness.post('/chat/completions', { model: 'gpt-test', messages }));
  const oversized = [450 * 1024, 1024 * 1024, 450 * 1024].map((size) => harness.post('/chat/completions', { model: 'z'.repeat(size), messages }));
  const responses = await Promise.all([...good, ...oversized]);
  expect(responses.map((response) => response.status)).toEqual([...Array<number>(12).fill(200), 400, 400, 400]);
  const goodIds = responses.slice(0, 12).map((response) => response.headers.get('x-request-id'));
  await harness.gateway.app.drain();
  const { records } = await dynamo().stores.usage.queryUsage({ from, to: new Date(Date.now() + 1000).toISOString(), limit: 100 });
  expect(records.map((record) => record.requestId).sort()).toEqual([...goodIds].sort());
  expect(Math.max(...records.map((record) => JSON.stringify(record).length))).toBeLessThan(4096);
});
