import { createLocalDynamoClient } from '../../lambda/local/embedded-dynamo';
import { createDynamoCounterStore } from '../../lambda/stores/dynamo/counter-store';
import type { CounterStore, ReserveRequest } from '../../lambda/stores/store';
import { createMemoryCounters } from '../support/memory-counters';
import { useDynamo } from './dynamo-fixture';

/**
 * Real concurrency (Promise.all of many calls) against both stores. For DynamoDB the callers are
 * split over two store instances with their own clients, as two gateway instances would be.
 */
const dynamo = useDynamo();
const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);
/** Past the default 20-minute reservation lifetime. */
const LATER = T0 + 25 * 60_000;

/** Two "gateway instances" sharing one counter store, and how to close what they opened. */
type Instances = () => { readonly pair: readonly [CounterStore, CounterStore]; close(): void };

const stores: [string, Instances][] = [
  ['memory', () => {
    const shared = createMemoryCounters();
    return { pair: [shared, shared], close: () => undefined };
  }],
  ['dynamo', () => {
    const { server, client, tableName } = dynamo();
    const second = createLocalDynamoClient(server.endpoint);
    return { pair: [createDynamoCounterStore(client, tableName), createDynamoCounterStore(second, tableName)], close: () => second.destroy() };
  }],
];

let sequence = 0;
function freshCounter(): string {
  sequence += 1;
  return `concurrency#${sequence}#${Date.now()}`;
}

/** A small seeded generator: the same amounts on every run, so a failure reproduces. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function request(counter: string, amount: number, limit: number, shards: number, nowMs = T0): ReserveRequest {
  return { counter, amount, limit, shards, nowMs, expiresAtMs: T0 + 3_600_000 };
}

/** Reserves 1 at a time until refused; returns how many were admitted. */
async function fillUp(store: CounterStore, counter: string, limit: number, shards: number, nowMs: number): Promise<number> {
  let admitted = 0;
  while ((await store.reserve(request(counter, 1, limit, shards, nowMs))).admitted) admitted += 1;
  return admitted;
}

/*
 * With shards, a racing request tries its random shard and then the roomiest once, so it may be
 * refused while another shard still has room (rare, and never over the limit). The exact property is
 * then: what the race admitted plus what a calm top-up admits afterwards is exactly the capacity.
 */
describe.each(stores)('CounterStore under concurrency: %s', (_name, instances) => {
  let pair: readonly [CounterStore, CounterStore];
  let close = (): void => undefined;
  beforeAll(() => {
    ({ pair, close } = instances());
  });
  afterAll(() => close());

  it.each([
    [1, 37],
    [4, 36], // four shards of floor(37 / 4) = 9
  ])('100 concurrent reserves of 1 against a limit of 37 over %i shard(s) admit exactly %i', async (shards, expected) => {
    const counter = freshCounter();
    const outcomes = await Promise.all(Array.from({ length: 100 }, (_, i) => pair[i % 2 === 0 ? 0 : 1].reserve(request(counter, 1, 37, shards))));
    const admitted = outcomes.filter((outcome) => outcome.admitted).length;
    expect(await pair[0].read(counter, shards)).toEqual({ committed: admitted, settled: 0 });
    if (shards === 1) expect(admitted).toBe(expected);
    expect(admitted + (await fillUp(pair[1], counter, 37, shards, T0))).toBe(expected);
  }, 10_000);

  it.each([1, 4])('60 concurrent reserve-then-settle calls over %i shard(s) never push committed past the limit', async (shards) => {
    const counter = freshCounter();
    const limit = 120;
    const random = seeded(7 * shards);
    const plans = Array.from({ length: 60 }, () => {
      const reserved = 1 + Math.floor(random() * 10);
      return { reserved, actual: Math.floor(random() * (reserved + 1)), delayMs: Math.floor(random() * 5) };
    });
    let running = true;
    let highest = 0;
    const watcher = (async () => {
      while (running) {
        highest = Math.max(highest, (await pair[1].read(counter, shards)).committed);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    const settledAmounts = await Promise.all(plans.map(async (plan, i) => {
      const store = pair[i % 2 === 0 ? 0 : 1];
      const outcome = await store.reserve(request(counter, plan.reserved, limit, shards));
      if (!outcome.admitted) return undefined;
      expect(outcome.state.committed).toBeLessThanOrEqual(limit);
      await new Promise((resolve) => setTimeout(resolve, plan.delayMs));
      const state = await store.settle(outcome.reservation, plan.actual, T0 + 1_000);
      expect(state.committed).toBeLessThanOrEqual(limit);
      return plan.actual;
    }));
    running = false;
    await watcher;
    const admitted = settledAmounts.filter((amount) => amount !== undefined);
    const expectedSettled = admitted.reduce((total, amount) => total + amount, 0);
    expect(highest).toBeLessThanOrEqual(limit);
    // Every admitted request settled, so nothing stays reserved: committed is exactly what settled.
    expect(await pair[0].read(counter, shards)).toEqual({ committed: expectedSettled, settled: expectedSettled });
    // The limit binds: some were admitted, and not all of them.
    expect(admitted.length).toBeGreaterThan(0);
    expect(admitted.length).toBeLessThan(plans.length);
  }, 10_000);

  it.each([1, 4])('a counter full of abandoned reservations over %i shard(s) is released exactly once under 50 racing reserves', async (shards) => {
    const counter = freshCounter();
    // A crashed instance's 20 reservations, never settled.
    for (let i = 0; i < 20; i += 1) expect((await pair[0].reserve(request(counter, 1, 20, shards))).admitted).toBe(true);
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => pair[i % 2 === 0 ? 0 : 1].reserve(request(counter, 1, 20, shards, LATER))));
    const admitted = outcomes.filter((outcome) => outcome.admitted).length;
    // Released twice, committed would drop below what is open and more than 20 would get in.
    expect(await pair[1].read(counter, shards)).toEqual({ committed: admitted, settled: 0 });
    if (shards === 1) expect(admitted).toBe(20);
    expect(admitted + (await fillUp(pair[0], counter, 20, shards, LATER))).toBe(20);
  }, 10_000);
});
