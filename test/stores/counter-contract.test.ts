import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoCounterStore } from '../../lambda/stores/dynamo/counter-store';
import type { CounterStore, ReserveOutcome, ReserveRequest } from '../../lambda/stores/store';
import { createMemoryCounters } from '../support/memory-counters';
import { useDynamo } from './dynamo-fixture';

/**
 * The CounterStore contract: the in-memory reference and the DynamoDB store (on the embedded
 * server) must behave the same, so tests written against memory hold in production.
 */
const dynamo = useDynamo();
const LIFETIME_MS = 20 * 60_000;
const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);
const LATER = T0 + LIFETIME_MS + 2 * 60_000;

type Factory = (random?: () => number) => CounterStore;

const stores: [string, Factory][] = [
  ['memory', (random) => createMemoryCounters(LIFETIME_MS, random)],
  ['dynamo', (random) => createDynamoCounterStore(dynamo().client, dynamo().tableName, { reservationLifetimeMs: LIFETIME_MS, random })],
];

let sequence = 0;
function freshCounter(): string {
  sequence += 1;
  return `contract#${sequence}#${Date.now()}`;
}

function request(counter: string, amount: number, limit: number, more: Partial<ReserveRequest> = {}): ReserveRequest {
  return { counter, amount, limit, nowMs: T0, expiresAtMs: T0 + 3_600_000, ...more };
}

function expectAdmitted(outcome: ReserveOutcome): Extract<ReserveOutcome, { admitted: true }> {
  if (!outcome.admitted) throw new Error(`expected admission, refused at ${JSON.stringify(outcome.state)}`);
  return outcome;
}

describe.each(stores)('CounterStore contract: %s', (name, make) => {
  it('admits up to the limit, then refuses and reports the state', async () => {
    const counters = make();
    const counter = freshCounter();
    const committed: number[] = [];
    for (let i = 0; i < 3; i += 1) committed.push(expectAdmitted(await counters.reserve(request(counter, 3, 10))).state.committed);
    expect(committed).toEqual([3, 6, 9]);
    expect(await counters.reserve(request(counter, 3, 10))).toEqual({ admitted: false, state: { committed: 9, settled: 0 } });
    expect(expectAdmitted(await counters.reserve(request(counter, 1, 10))).state).toEqual({ committed: 10, settled: 0 });
    expect(await counters.read(counter)).toEqual({ committed: 10, settled: 0 });
  });

  it('refuses an amount larger than the limit, reporting the current state', async () => {
    const counters = make();
    const counter = freshCounter();
    expectAdmitted(await counters.reserve(request(counter, 2, 10)));
    expect(await counters.reserve(request(counter, 11, 10))).toEqual({ admitted: false, state: { committed: 2, settled: 0 } });
  });

  it('settling moves committed by (actual - reserved) and settled by actual', async () => {
    const counters = make();
    const counter = freshCounter();
    const first = expectAdmitted(await counters.reserve(request(counter, 10, 100)));
    const second = expectAdmitted(await counters.reserve(request(counter, 5, 100)));
    expect(await counters.settle(first.reservation, 4, T0 + 1_000)).toEqual({ committed: 9, settled: 4 });
    expect(await counters.settle(second.reservation, 5, T0 + 2_000)).toEqual({ committed: 9, settled: 9 });
    expect(await counters.read(counter)).toEqual({ committed: 9, settled: 9 });
  });

  it('settles:false adds to committed and settled at once and still respects the limit', async () => {
    const counters = make();
    const counter = freshCounter();
    expect(expectAdmitted(await counters.reserve(request(counter, 1, 2, { settles: false }))).state).toEqual({ committed: 1, settled: 1 });
    expectAdmitted(await counters.reserve(request(counter, 1, 2, { settles: false })));
    expect(await counters.reserve(request(counter, 1, 2, { settles: false }))).toEqual({ admitted: false, state: { committed: 2, settled: 2 } });
    // Nothing is open, so nothing is ever released.
    expect((await counters.reserve(request(counter, 1, 2, { settles: false, nowMs: LATER }))).admitted).toBe(false);
  });

  it('releases a reservation never settled after the lifetime, and admits again', async () => {
    const counters = make();
    const counter = freshCounter();
    expectAdmitted(await counters.reserve(request(counter, 10, 10)));
    expect((await counters.reserve(request(counter, 1, 10, { nowMs: T0 + LIFETIME_MS - 60_000 }))).admitted).toBe(false);
    const again = expectAdmitted(await counters.reserve(request(counter, 1, 10, { nowMs: LATER })));
    expect(again.state).toEqual({ committed: 1, settled: 0 });
    expect(await counters.read(counter)).toEqual({ committed: 1, settled: 0 });
  });

  it('leaves abandoned reservations out of the state an admission reports', async () => {
    const counters = make();
    const counter = freshCounter();
    expectAdmitted(await counters.reserve(request(counter, 4, 10)));
    expect(expectAdmitted(await counters.reserve(request(counter, 2, 10, { nowMs: LATER }))).state).toEqual({ committed: 2, settled: 0 });
  });

  it('commits part of a reservation: settled grows, committed stays, the rest remains reserved', async () => {
    const counters = make();
    const counter = freshCounter();
    const lease = expectAdmitted(await counters.reserve(request(counter, 10, 100)));
    const rest = await counters.commit(lease.reservation, 4, T0 + 1_000);
    expect(rest.amount).toBe(6);
    expect(await counters.read(counter)).toEqual({ committed: 10, settled: 4 });
    expect(await counters.settle(rest, 3, T0 + 2_000)).toEqual({ committed: 7, settled: 7 });
    await expect(counters.commit(rest, 7, T0 + 3_000)).rejects.toThrow('more than the reservation holds');
  });

  it('keeps what a vanished holder committed when the rest of its reservation is released', async () => {
    const counters = make();
    const counter = freshCounter();
    const lease = expectAdmitted(await counters.reserve(request(counter, 10, 10)));
    await counters.commit(lease.reservation, 4, T0 + 1_000);
    // The holder never comes back: after the lifetime only the unspent 6 is released.
    expectAdmitted(await counters.reserve(request(counter, 6, 10, { nowMs: LATER })));
    expect(await counters.read(counter)).toEqual({ committed: 10, settled: 4 });
  });

  it('counts a commit made after the release once', async () => {
    const counters = make();
    const counter = freshCounter();
    const lease = expectAdmitted(await counters.reserve(request(counter, 10, 20)));
    expectAdmitted(await counters.reserve(request(counter, 1, 20, { nowMs: LATER })));
    const rest = await counters.commit(lease.reservation, 4, LATER + 1_000);
    expect(await counters.read(counter)).toEqual({ committed: 5, settled: 4 });
    expect(await counters.settle(rest, 0, LATER + 2_000)).toEqual({ committed: 5, settled: 4 });
  });

  it('settling after the release adds only the actual amount', async () => {
    const counters = make();
    const counter = freshCounter();
    const abandoned = expectAdmitted(await counters.reserve(request(counter, 6, 10)));
    expectAdmitted(await counters.reserve(request(counter, 1, 10, { nowMs: LATER })));
    expect(await counters.settle(abandoned.reservation, 4, LATER + 1_000)).toEqual({ committed: 5, settled: 4 });
    expect(await counters.read(counter)).toEqual({ committed: 5, settled: 4 });
  });

  it('settling a late reservation nobody released yet charges the actual amount once', async () => {
    const counters = make();
    const counter = freshCounter();
    const late = expectAdmitted(await counters.reserve(request(counter, 6, 10)));
    const other = expectAdmitted(await counters.reserve(request(counter, 3, 10)));
    expect(await counters.settle(late.reservation, 2, LATER)).toEqual({ committed: 2, settled: 2 });
    expect(await counters.settle(other.reservation, 3, LATER)).toEqual({ committed: 5, settled: 5 });
  });

  it('spreads a sharded counter so the shards together never exceed the limit', async () => {
    const counters = make();
    const counter = freshCounter();
    const outcomes: ReserveOutcome[] = [];
    for (let i = 0; i < 12; i += 1) outcomes.push(await counters.reserve(request(counter, 1, 10, { shards: 4 })));
    // Each shard holds floor(10 / 4) = 2.
    expect(outcomes.filter((outcome) => outcome.admitted)).toHaveLength(8);
    expect(outcomes.at(-1)).toEqual({ admitted: false, state: { committed: 8, settled: 0 } });
    expect(await counters.read(counter, 4)).toEqual({ committed: 8, settled: 0 });
  });

  it('sends a request refused by its shard to the roomiest, and reads sum the shards', async () => {
    const counters = make(() => 0);
    const counter = freshCounter();
    expect(expectAdmitted(await counters.reserve(request(counter, 4, 8, { shards: 2 }))).reservation.shard).toBe(0);
    const fallback = expectAdmitted(await counters.reserve(request(counter, 3, 8, { shards: 2 })));
    expect(fallback.reservation.shard).toBe(1);
    expect(fallback.state).toEqual({ committed: 3, settled: 0 });
    expect(await counters.reserve(request(counter, 2, 8, { shards: 2 }))).toEqual({ admitted: false, state: { committed: 7, settled: 0 } });
    expect(await counters.settle(fallback.reservation, 1, T0)).toEqual({ committed: 1, settled: 1 });
    expect(await counters.read(counter, 2)).toEqual({ committed: 5, settled: 1 });
    expect(await counters.read(counter, 1)).toEqual({ committed: 4, settled: 0 });
  });

  it('reads zeros for a counter that does not exist', async () => {
    expect(await make().read(freshCounter(), 3)).toEqual({ committed: 0, settled: 0 });
    // More shards than one batch read takes (100).
    expect(await make().read(freshCounter(), 150)).toEqual({ committed: 0, settled: 0 });
  });

  it('rejects amounts and limits that are not non-negative integers', async () => {
    const counters = make();
    const counter = freshCounter();
    await expect(counters.reserve(request(counter, 1.5, 10))).rejects.toThrow(/amount/);
    await expect(counters.reserve(request(counter, 1, -1))).rejects.toThrow(/limit/);
    await expect(counters.reserve(request(counter, 1, 10, { shards: 0 }))).rejects.toThrow(/shards/);
  });

  if (name === 'dynamo') {
    it('stores the counter with its TTL in epoch seconds and its open reservation in the minute bucket', async () => {
      const { client, tableName } = dynamo();
      const counter = freshCounter();
      await make().reserve(request(counter, 7, 10, { expiresAtMs: T0 + 90_500 }));
      const { Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: `CTR#${counter}#0` }, sk: { S: 'SHARD#0' } }, ConsistentRead: true }));
      expect(Number(item?.ttl?.N)).toBe(Math.ceil((T0 + 90_500) / 1000));
      expect(Number(item?.committed?.N)).toBe(7);
      expect(Number(item?.[`r${Math.floor(T0 / 60_000)}`]?.N)).toBe(7);
    });

    it('spends one write on an admission and one on a settle', async () => {
      const { client, tableName } = dynamo();
      const sent: string[] = [];
      const counting = { send: (command: { constructor: { name: string } }) => {
        sent.push(command.constructor.name);
        return client.send(command as Parameters<DynamoDBClient['send']>[0]);
      } } as unknown as DynamoDBClient;
      const counters = createDynamoCounterStore(counting, tableName, { reservationLifetimeMs: LIFETIME_MS });
      const counter = freshCounter();
      const outcome = expectAdmitted(await counters.reserve(request(counter, 2, 10, { shards: 4 })));
      await counters.settle(outcome.reservation, 1, T0);
      expect(sent).toEqual(['UpdateItemCommand', 'UpdateItemCommand']);
    });
  }
});
