import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createLocalDynamoClient, type EmbeddedDynamo, startEmbeddedDynamo } from '../../lambda/local/embedded-dynamo';
import { createDynamoStores, type DynamoStoresOptions, ensureTable } from '../../lambda/stores/dynamo';
import type { GatewayStores } from '../../lambda/stores/store';

export interface DynamoFixture {
  readonly server: EmbeddedDynamo;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly stores: GatewayStores;
  /** More store sets over the same table, e.g. with another clock or retention. */
  storesWith(options: Omit<DynamoStoresOptions, 'tableName'>): GatewayStores;
}

/**
 * Starts an in-memory dynalite for the enclosing describe block and creates the gateway table
 * through the real SDK. Returns an accessor, since the fixture exists only once beforeAll ran.
 */
export function useDynamo(options: Omit<DynamoStoresOptions, 'tableName'> = {}): () => DynamoFixture {
  let fixture: DynamoFixture | undefined;
  beforeAll(async () => {
    const server = await startEmbeddedDynamo();
    const client = createLocalDynamoClient(server.endpoint);
    const tableName = 'gatellm-test';
    await ensureTable(client, tableName);
    fixture = {
      server,
      client,
      tableName,
      stores: createDynamoStores(client, { tableName, ...options }),
      storesWith: (more) => createDynamoStores(client, { tableName, ...more }),
    };
  });
  afterAll(async () => {
    fixture?.client.destroy();
    await fixture?.server.close();
  });
  return () => {
    if (fixture === undefined) throw new Error('The dynamo fixture is used before beforeAll ran.');
    return fixture;
  };
}
