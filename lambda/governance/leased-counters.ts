import type { CounterState, CounterStore, Reservation, ReserveOutcome, ReserveRequest } from '../stores/store';

/**
 * Leased counters: the store round trip leaves the request path. After a call admitted by the store,
 * the instance reserves a slice of the counter's remaining room for itself (a lease, one conditional
 * write in the background); later calls are admitted from the lease in memory. A lease is an ordinary
 * reservation, so the store's invariant (committed ≤ limit) still bounds everything: each local
 * admission takes its full upper bound out of the lease, so spending within a lease never exceeds it.
 *
 * Exactness near the limit is kept by not leasing there: a lease must hold at least MIN_CALLS calls'
 * worth and at most a small fraction of the room, so the last stretch of a budget or window is admitted
 * call by call against the store, as without leases. The cost is availability, never overspending: the
 * room an instance holds is unavailable to others until it returns it (at most `leaseMs`, or the store's
 * reservation lifetime if the instance vanishes).
 *
 * Spending is made durable by `flush()` (the Lambda handler's drain, after every invocation, and the
 * local server's close): it commits what the leases' calls used, so an instance frozen or killed later
 * leaves only the unspent rest to be released.
 */
export interface LeaseOptions {
  /** Share of the room left after an admission that one lease may take. @default 0.05 */
  readonly fraction?: number;
  /** A lease is taken only when it holds at least this many calls of the size just admitted. @default 8 */
  readonly minCalls?: number;
  /** A lease holds at most this many calls of the size just admitted. @default 1024 */
  readonly maxCalls?: number;
  /** How long a lease admits calls before its unused room goes back to the store. @default 5000 */
  readonly leaseMs?: number;
  /** The clock lease lifetimes are measured with (not the request clock, which tests move). @default Date.now */
  readonly now?: () => number;
  /** Reports a background lease write that failed (the lease is then simply not used). */
  readonly onError?: (error: unknown) => void;
}

interface Lease {
  /** The store reservation behind the lease; its amount shrinks as spending is committed. */
  reservation: Reservation;
  readonly capacity: number;
  /** Upper bounds of calls admitted from the lease and not yet settled. */
  open: number;
  /** Actual amounts of settled calls (and plain adds): spent out of the lease. */
  spent: number;
  /** Of `spent`, what the store already holds as settled. */
  committed: number;
  readonly expiresAt: number;
  readonly limit: number;
  /** The store's committed total when the lease was granted (the lease included). */
  readonly baseCommitted: number;
  readonly baseSettled: number;
  closed: boolean;
  /** The latest request clock seen: store writes are dated by the clock the reservations were made with. */
  requestNowMs: number;
  /** Store writes of one lease run one after another: each computes its amounts from the state it finds. */
  writes: Promise<void>;
}

export interface LeasedCounters extends CounterStore {
  /** Commits the leases' spending and returns expired leases' unused room; resolves when written. */
  flush(): Promise<void>;
  /** Returns every lease (a stopping process): spending settled, unused room released. */
  releaseAll(): Promise<void>;
}

export function createLeasedCounters(store: CounterStore, options: LeaseOptions = {}): LeasedCounters {
  const fraction = options.fraction ?? 0.05;
  const minCalls = options.minCalls ?? 8;
  const maxCalls = options.maxCalls ?? 1024;
  const leaseMs = options.leaseMs ?? 5_000;
  const now = options.now ?? Date.now;
  const onError = options.onError ?? ((): void => undefined);
  const leases = new Map<string, Lease>();
  const acquiring = new Set<string>();
  /** Local admissions and the lease each came from. */
  const localOf = new WeakMap<Reservation, Lease>();

  function usable(lease: Lease | undefined, amount: number, nowMs: number): lease is Lease {
    return lease !== undefined && !lease.closed && lease.expiresAt > nowMs && lease.capacity - lease.open - lease.spent >= amount;
  }

  /** The counter as this instance sees it: the store's total when leased, less the lease's unused room. */
  function stateOf(lease: Lease): CounterState {
    const unused = lease.capacity - lease.open - lease.spent;
    return { committed: lease.baseCommitted - unused, settled: lease.baseSettled + lease.spent };
  }

  function serially(lease: Lease, write: () => Promise<void>): Promise<void> {
    lease.writes = lease.writes.then(write);
    return lease.writes;
  }

  /** Gives the lease back once nothing admitted from it is open: spending settled, the rest released. */
  function close(lease: Lease): Promise<void> {
    return serially(lease, async () => {
      if (lease.open > 0 || lease.reservation.amount === 0) return;
      const reservation = lease.reservation;
      const uncommitted = lease.spent - lease.committed;
      lease.committed = lease.spent;
      lease.reservation = { ...reservation, amount: 0 };
      await store.settle(reservation, uncommitted, lease.requestNowMs);
    });
  }

  /** Moves what the lease's calls spent into the store's settled total; the lease stays open. */
  function checkpoint(lease: Lease): Promise<void> {
    return serially(lease, async () => {
      const used = lease.spent - lease.committed;
      if (used === 0 || lease.reservation.amount === 0) return;
      lease.committed = lease.spent;
      lease.reservation = await store.commit(lease.reservation, used, lease.requestNowMs);
    });
  }

  function retire(counter: string, lease: Lease): Promise<void> {
    lease.closed = true;
    if (leases.get(counter) === lease) leases.delete(counter);
    return close(lease);
  }

  /** After a store admission with room to spare, take a lease in the background for the next calls. */
  function maybeAcquire(request: ReserveRequest, committedSeen: number, nowMs: number): void {
    if (request.amount === 0 || acquiring.has(request.counter)) return;
    const current = leases.get(request.counter);
    // Renewed at half: the next lease is normally in place before this one runs dry, so a busy instance
    // does not send a burst of calls to the store while it waits for one.
    if (current !== undefined && usable(current, request.amount, nowMs) && current.capacity - current.open - current.spent > current.capacity / 2) return;
    const share = Math.floor(request.limit / Math.max(1, request.shards ?? 1));
    const room = share - committedSeen;
    const size = Math.min(Math.floor(room * fraction), maxCalls * request.amount);
    if (size < minCalls * request.amount) return;
    acquiring.add(request.counter);
    const grantedAt = nowMs;
    store.reserve({ ...request, amount: size, settles: true })
      .then((leased) => {
        if (!leased.admitted) return;
        const previous = leases.get(request.counter);
        if (previous !== undefined) retire(request.counter, previous).catch(onError);
        leases.set(request.counter, {
          reservation: leased.reservation, capacity: size, open: 0, spent: 0, committed: 0, expiresAt: grantedAt + leaseMs,
          limit: request.limit, baseCommitted: leased.state.committed, baseSettled: leased.state.settled, closed: false,
          requestNowMs: request.nowMs, writes: Promise.resolve(),
        });
      })
      .catch(onError)
      .finally(() => acquiring.delete(request.counter));
  }

  let lastSweep = now();
  /**
   * Expired leases go back as calls come in, at most once a second, so a long-lived process whose
   * counters change every minute (rate windows) neither keeps old leases in memory nor their spending
   * out of the store until its next drain.
   */
  function sweep(nowMs: number): void {
    if (nowMs - lastSweep < 1_000) return;
    lastSweep = nowMs;
    for (const [counter, lease] of leases) if (lease.expiresAt <= lastSweep) retire(counter, lease).catch(onError);
  }

  /** Admission from the counter's lease, if it has room: no store call, no promise. */
  function admitFromLease(request: ReserveRequest, nowMs: number): Extract<ReserveOutcome, { readonly admitted: true }> | undefined {
    // One clock reading per call: a request reserves a dozen counters, each consulting it several times.
    sweep(nowMs);
    const lease = leases.get(request.counter);
    if (!usable(lease, request.amount, nowMs) || lease.limit !== request.limit) return undefined;
    if (request.settles === false) lease.spent += request.amount;
    else lease.open += request.amount;
    lease.requestNowMs = Math.max(lease.requestNowMs, request.nowMs);
    maybeAcquire(request, stateOf(lease).committed, nowMs);
    const reservation: Reservation = { counter: request.counter, shard: lease.reservation.shard, amount: request.amount, bucket: lease.reservation.bucket };
    localOf.set(reservation, lease);
    return { admitted: true, reservation, state: stateOf(lease) };
  }

  return {
    admitLocally: (request) => admitFromLease(request, now()),

    async reserve(request) {
      const nowMs = now();
      const local = admitFromLease(request, nowMs);
      if (local !== undefined) return local;
      const lease = leases.get(request.counter);
      if (lease !== undefined && (lease.expiresAt <= nowMs || lease.limit !== request.limit)) retire(request.counter, lease).catch(onError);
      const outcome = await store.reserve(request);
      if (outcome.admitted) maybeAcquire(request, outcome.state.committed, now());
      return outcome;
    },

    async settle(reservation, actual, nowMs) {
      const lease = localOf.get(reservation);
      if (lease === undefined) return store.settle(reservation, actual, nowMs);
      localOf.delete(reservation);
      lease.requestNowMs = Math.max(lease.requestNowMs, nowMs);
      lease.open -= reservation.amount;
      lease.spent += actual;
      const state = stateOf(lease);
      if (lease.closed) await close(lease);
      return state;
    },

    commit: (reservation, used, nowMs) => store.commit(reservation, used, nowMs),
    read: (counter, shards) => store.read(counter, shards),

    async flush() {
      await Promise.all([...leases].map(([counter, lease]) => (lease.expiresAt <= now() ? retire(counter, lease) : checkpoint(lease))));
    },

    async releaseAll() {
      await Promise.all([...leases].map(([counter, lease]) => retire(counter, lease)));
    },
  };
}
