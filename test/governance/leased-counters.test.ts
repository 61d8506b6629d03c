import fc from 'fast-check';
import { createLeasedCounters } from '../../lambda/governance/leased-counters';
import { reserveAll } from '../../lambda/governance/reservations';
import { silentLogger } from '../../lambda/logging/logger';
import type { ReserveRequest } from '../../lambda/stores/store';
import { createMemoryCounters } from '../support/memory-counters';

/**
 * Leases take the store round trip off the request path; they must never let spending past the limit,
 * and must keep the last stretch of a limit exact (issue 7, items 4 and 9).
 */
const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);

function request(counter: string, amount: number, limit: number, more: Partial<ReserveRequest> = {}): ReserveRequest {
  return { counter, amount, limit, nowMs: T0, expiresAtMs: T0 + 3_600_000, ...more };
}

async function settleTick(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

describe('leased counters', () => {
  it('admits from a lease without store calls once one is held', async () => {
    const store = createMemoryCounters();
    const leased = createLeasedCounters(store);
    const first = await leased.reserve(request('c', 10, 1_000_000));
    expect(first.admitted).toBe(true);
    await settleTick(); // the lease is taken in the background
    const callsBefore = store.calls.count;
    for (let i = 0; i < 100; i += 1) {
      const outcome = await leased.reserve(request('c', 10, 1_000_000));
      if (!outcome.admitted) throw new Error('refused');
      await leased.settle(outcome.reservation, 7, T0);
    }
    expect(store.calls.count).toBe(callsBefore);
    await leased.flush();
    expect((await store.read('c')).settled).toBe(700);
  });

  it('takes no lease near the limit, so the last calls are admitted exactly', async () => {
    const store = createMemoryCounters();
    const leased = createLeasedCounters(store);
    const outcomes = [];
    for (let i = 0; i < 15; i += 1) {
      outcomes.push(await leased.reserve(request('tight', 100, 1_000)));
      await settleTick();
    }
    expect(outcomes.filter((outcome) => outcome.admitted)).toHaveLength(10);
    expect(await store.read('tight')).toEqual({ committed: 1_000, settled: 0 });
  });

  it('makes spending durable on flush, and gives unused room back on release', async () => {
    const store = createMemoryCounters();
    const leased = createLeasedCounters(store);
    const direct = await leased.reserve(request('d', 10, 100_000));
    if (!direct.admitted) throw new Error('refused');
    await leased.settle(direct.reservation, 10, T0);
    await settleTick();
    const local = await leased.reserve(request('d', 10, 100_000));
    if (!local.admitted) throw new Error('refused');
    await leased.settle(local.reservation, 4, T0);
    await leased.flush();
    const flushed = await store.read('d');
    expect(flushed.settled).toBe(14);
    expect(flushed.committed).toBeGreaterThan(14); // the lease still holds its unused room
    await leased.releaseAll();
    expect(await store.read('d')).toEqual({ committed: 14, settled: 14 });
  });

  it('leaves only the unspent rest of a vanished instance\'s lease to be released', async () => {
    const lifetimeMs = 20 * 60_000;
    const store = createMemoryCounters(lifetimeMs);
    const vanishing = createLeasedCounters(store);
    await vanishing.reserve(request('v', 10, 100_000));
    await settleTick();
    for (let i = 0; i < 5; i += 1) {
      const outcome = await vanishing.reserve(request('v', 10, 100_000));
      if (outcome.admitted) await vanishing.settle(outcome.reservation, 10, T0);
    }
    await vanishing.flush(); // the Lambda drain after the invocation; then the sandbox is killed
    const later = T0 + lifetimeMs + 2 * 60_000;
    await store.reserve(request('v', 1, 100_000, { nowMs: later }));
    // The first call was never settled either (the instance vanished): both abandoned reservations went.
    expect(await store.read('v')).toEqual({ committed: 51, settled: 50 });
  });

  it('returns an expired lease and goes back to the store', async () => {
    let clock = 0;
    const store = createMemoryCounters();
    const leased = createLeasedCounters(store, { now: () => clock, leaseMs: 1_000 });
    await leased.reserve(request('e', 10, 100_000));
    await settleTick();
    const callsWithLease = store.calls.count;
    await leased.reserve(request('e', 10, 100_000));
    expect(store.calls.count).toBe(callsWithLease);
    clock = 1_001;
    await leased.reserve(request('e', 10, 100_000));
    expect(store.calls.count).toBeGreaterThan(callsWithLease);
  });

  it('counts plain adds (requests per minute) from the lease and commits them', async () => {
    const store = createMemoryCounters();
    const leased = createLeasedCounters(store);
    await leased.reserve(request('rpm', 1, 10_000, { settles: false }));
    await settleTick();
    for (let i = 0; i < 20; i += 1) expect((await leased.reserve(request('rpm', 1, 10_000, { settles: false }))).admitted).toBe(true);
    await leased.releaseAll();
    expect(await store.read('rpm')).toEqual({ committed: 21, settled: 21 });
  });

  it('never lets several leasing instances push spending past the limit', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 50, max: 5_000 }),
      fc.array(fc.record({ instance: fc.integer({ min: 0, max: 2 }), amount: fc.integer({ min: 1, max: 40 }), spentPercent: fc.integer({ min: 0, max: 100 }) }), { minLength: 1, maxLength: 120 }),
      async (limit, calls) => {
        const store = createMemoryCounters();
        const instances = [createLeasedCounters(store, { minCalls: 2 }), createLeasedCounters(store, { minCalls: 2 }), createLeasedCounters(store, { minCalls: 2 })];
        let spent = 0;
        await Promise.all(calls.map(async (call) => {
          const counters = instances[call.instance];
          if (counters === undefined) return;
          const outcome = await counters.reserve(request('p', call.amount, limit));
          if (!outcome.admitted) return;
          await settleTick();
          const actual = Math.floor((call.amount * call.spentPercent) / 100);
          spent += actual;
          await counters.settle(outcome.reservation, actual, T0);
        }));
        await Promise.all(instances.map((counters) => counters.releaseAll()));
        const final = await store.read('p');
        expect(spent).toBeLessThanOrEqual(limit);
        expect(final).toEqual({ committed: spent, settled: spent });
      },
    ), { numRuns: 150 });
  });
});

describe('leases of counters nobody asks for any more', () => {
  it('are returned as other calls come in, with their spending', async () => {
    let clock = 0;
    const store = createMemoryCounters();
    const leased = createLeasedCounters(store, { now: () => clock, leaseMs: 5_000 });
    await leased.reserve(request('rpm#minute-1', 1, 10_000, { settles: false }));
    await settleTick();
    for (let i = 0; i < 10; i += 1) await leased.reserve(request('rpm#minute-1', 1, 10_000, { settles: false }));
    clock = 61_000; // the next minute: a new window counter
    await leased.reserve(request('rpm#minute-2', 1, 10_000, { settles: false }));
    await settleTick();
    expect(await store.read('rpm#minute-1')).toEqual({ committed: 11, settled: 11 });
  });
});

describe('reserving a request\'s counters over leases', () => {
  it('admits a request whose counters are all leased in memory, and releases the leased ones when a later counter refuses', async () => {
    const store = createMemoryCounters();
    const leased = createLeasedCounters(store);
    await leased.reserve(request('roomy', 10, 1_000_000));
    await settleTick();
    const callsBefore = store.calls.count;
    const allLeased = await reserveAll(leased, [{ tag: 'roomy', request: request('roomy', 10, 1_000_000) }], silentLogger);
    expect(allLeased.admitted).toBe(true);
    expect(store.calls.count).toBe(callsBefore);

    // 'full' has no lease and no room: the store refuses it, and the roomy counter's local grant is released.
    await store.reserve(request('full', 100, 100));
    const refused = await reserveAll(leased, [
      { tag: 'roomy', request: request('roomy', 10, 1_000_000) },
      { tag: 'full', request: request('full', 1, 100) },
    ], silentLogger);
    expect(refused).toMatchObject({ admitted: false, refused: { tag: 'full' } });
    await settleTick();
    if (!allLeased.admitted) throw new Error('refused');
    const grant = allLeased.grants[0];
    if (grant === undefined) throw new Error('no grant');
    await leased.settle(grant.reservation, 10, T0);
    await leased.releaseAll();
    // The first call (10, still open) and the one settled (10); the released local grant took nothing.
    expect(await store.read('roomy')).toEqual({ committed: 20, settled: 10 });
  });
});
