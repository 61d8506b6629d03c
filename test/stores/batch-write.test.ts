import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchPutError, batchPut } from '../../lambda/stores/dynamo/batch-write';

const item = (id: number) => ({ pk: { S: `P#${id}` }, sk: { S: 'S' }, v: { N: String(id) } });

describe('batchPut', () => {
  const client = new DynamoDBClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const mock = mockClient(client);
  afterEach(() => mock.reset());
  afterAll(() => {
    mock.restore();
    client.destroy();
  });

  it('writes 25 per call and retries what DynamoDB left unprocessed', async () => {
    mock.on(BatchWriteItemCommand)
      .resolvesOnce({ UnprocessedItems: { t: [{ PutRequest: { Item: item(3) } }] } })
      .resolves({});
    await batchPut(client, 't', Array.from({ length: 30 }, (_, i) => item(i)), { concurrency: 1, baseDelayMs: 1 });

    const calls = mock.commandCalls(BatchWriteItemCommand).map((call) => call.args[0].input.RequestItems?.t ?? []);
    expect(calls.map((requests) => requests.length)).toEqual([25, 1, 5]);
    expect(calls[1]?.[0]?.PutRequest?.Item).toEqual(item(3));
  });

  it('keeps only the last of several items with the same key', async () => {
    mock.on(BatchWriteItemCommand).resolves({});
    await batchPut(client, 't', [item(1), { ...item(1), v: { N: '99' } }, item(2)]);
    const requests = mock.commandCalls(BatchWriteItemCommand)[0]?.args[0].input.RequestItems?.t ?? [];
    expect(requests.map((request) => request.PutRequest?.Item?.v?.N)).toEqual(['99', '2']);
  });

  it('fails when items stay unprocessed after the last attempt', async () => {
    mock.on(BatchWriteItemCommand).resolves({ UnprocessedItems: { t: [{ PutRequest: { Item: item(1) } }] } });
    await expect(batchPut(client, 't', [item(1)], { maxAttempts: 3, baseDelayMs: 1 })).rejects.toThrow(/unprocessed after 3 attempts/);
    expect(mock.commandCalls(BatchWriteItemCommand)).toHaveLength(3);
  });

  it('does not split a batch for errors that would hit every item alike (throttling, access)', async () => {
    mock.on(BatchWriteItemCommand).rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(batchPut(client, 't', Array.from({ length: 25 }, (_, i) => item(i)))).rejects.toThrow('slow down');
    expect(mock.commandCalls(BatchWriteItemCommand)).toHaveLength(1);
  });

  it('reports exactly the items written, also when a later call fails, so each is rolled up once', async () => {
    mock.on(BatchWriteItemCommand)
      .resolvesOnce({ UnprocessedItems: { t: [{ PutRequest: { Item: item(7) } }] } })
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    const failure = await batchPut(client, 't', Array.from({ length: 30 }, (_, i) => item(i)), { concurrency: 1, baseDelayMs: 1 })
      .then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(BatchPutError);
    const written = failure instanceof BatchPutError ? failure.written : [];
    // The first call wrote 24 of its 25 (item 7 came back unprocessed); the retry of item 7 failed.
    expect(written.map((entry) => entry.v?.N).sort((a, b) => Number(a) - Number(b)))
      .toEqual(Array.from({ length: 25 }, (_, i) => String(i)).filter((id) => id !== '7'));
  });

  it('lists every written item once when the whole put succeeds', async () => {
    mock.on(BatchWriteItemCommand).resolves({});
    const { written } = await batchPut(client, 't', [item(1), item(1), item(2)]);
    expect(written.map((entry) => entry.v?.N)).toEqual(['1', '2']);
  });
});
