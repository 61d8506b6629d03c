import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createLocalDynamoClient, startEmbeddedDynamo } from '../../lambda/local/embedded-dynamo';
import { createDynamoStores, ensureTable } from '../../lambda/stores/dynamo';
import type { UsageRecord } from '../../lambda/stores/store';

const TABLE = 'gatellm';

async function withStores<T>(dataDir: string | undefined, body: (stores: ReturnType<typeof createDynamoStores>) => Promise<T>): Promise<T> {
  const server = await startEmbeddedDynamo(dataDir === undefined ? {} : { dataDir });
  const client = createLocalDynamoClient(server.endpoint);
  try {
    await ensureTable(client, TABLE);
    return await body(createDynamoStores(client, { tableName: TABLE }));
  } finally {
    client.destroy();
    await server.close();
  }
}

describe('embedded DynamoDB', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatellm-embedded-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('listens on a Unix socket in a private directory, not on TCP, and closes idempotently', async () => {
    const server = await startEmbeddedDynamo({});
    expect(server.endpoint).toMatch(/^\/.*\.sock$/);
    expect((await stat(server.endpoint)).isSocket()).toBe(true);
    expect((await stat(dirname(server.endpoint))).mode & 0o777).toBe(0o700);
    const client = createLocalDynamoClient(server.endpoint);
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    client.destroy();
    await Promise.all([server.close(), server.close()]);
    // The private socket directory goes with the server.
    await expect(stat(dirname(server.endpoint))).rejects.toThrow();
  });

  it('on loopback TCP (for tests only) answers no CORS preflight, so no web page can use it', async () => {
    const server = await startEmbeddedDynamo({ loopbackTcp: true });
    try {
      expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const preflight = await fetch(server.endpoint, {
        method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      const client = createLocalDynamoClient(server.endpoint);
      expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      client.destroy();
    } finally {
      await server.close();
    }
  });

  it('keeps data on disk across a restart in the same directory', async () => {
    // A nested directory that does not exist yet: it must be created.
    const dataDir = join(dir, 'nested', 'data');
    const record: UsageRecord = {
      requestId: 'req-persist', time: new Date().toISOString(), keyId: 'key-p', teamId: 'team-p', requestedModel: 'gpt-4o',
      operation: 'chat.completions', inputTokens: 3, outputTokens: 4, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0,
      usageEstimated: false, costUsd: 0.00042, latencyMs: 12, ttftMs: 5, httpStatus: 200, status: 'ok', streamed: false,
    };
    await withStores(dataDir, async (stores) => {
      await stores.teams.createTeam({ id: 'team-p', name: 'Persisted', createdAt: '2026-01-01T00:00:00.000Z' });
      await stores.keys.putKey({ id: 'key-p', secretHash: 'h', teamId: 'team-p', createdAt: '2026-01-01T00:00:00.000Z' });
      await stores.usage.putUsages([record]);
    });

    await withStores(dataDir, async (stores) => {
      expect(await stores.teams.getTeam('team-p')).toEqual({ id: 'team-p', name: 'Persisted', createdAt: '2026-01-01T00:00:00.000Z' });
      expect((await stores.keys.listKeys('team-p')).map((key) => key.id)).toEqual(['key-p']);
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const to = new Date(Date.now() + 3_600_000).toISOString();
      expect((await stores.usage.queryUsage({ from, to })).records).toStrictEqual([record]);
    });
  });

  it('refuses a data directory another instance holds, and takes over a stale lock', async () => {
    const dataDir = join(dir, 'locked');
    const holder = await startEmbeddedDynamo({ dataDir });
    try {
      await expect(startEmbeddedDynamo({ dataDir })).rejects.toThrow(`in use by process ${process.pid}`);
    } finally {
      await holder.close();
    }

    // A lock whose process is gone (a crash) does not block the next start.
    await writeFile(join(dataDir, 'gatellm.lock'), '2147483646');
    const next = await startEmbeddedDynamo({ dataDir });
    await next.close();
  });

  it('starts empty in memory even after an on-disk instance ran', async () => {
    await withStores(undefined, async (stores) => {
      expect(await stores.teams.listTeams()).toEqual([]);
    });
  });
});
