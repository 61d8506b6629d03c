import type { Logger } from '../logging/logger';
import type { CounterState, CounterStore, Reservation, ReserveRequest } from '../stores/store';

export interface Claim<T> {
  readonly tag: T;
  readonly request: ReserveRequest;
}

export interface Grant<T> {
  readonly tag: T;
  readonly request: ReserveRequest;
  readonly reservation: Reservation;
  readonly state: CounterState;
}

export type ClaimOutcome<T> =
  | { readonly admitted: true; readonly grants: Grant<T>[] }
  | { readonly admitted: false; readonly refused: { readonly tag: T; readonly state: CounterState } };

/**
 * Reserves every claim in one parallel round of store calls. If any is refused (or fails), the others'
 * reservations are released in the background (settled at 0; the caller does not wait, and an unreleased
 * one expires with the store's reservation lifetime), then the first refusal is returned, or the error thrown.
 *
 * The steady state needs no round at all: claims are first admitted in memory from leases
 * (`admitLocally`), in order, without a promise per claim; from the first claim that needs the store on,
 * the rest go to the store, and the grants already made count as reserved (released with the others).
 */
export async function reserveAll<T>(counters: CounterStore, claims: readonly Claim<T>[], logger: Logger): Promise<ClaimOutcome<T>> {
  const grants: Grant<T>[] = [];
  let next = 0;
  if (counters.admitLocally !== undefined) {
    for (; next < claims.length; next += 1) {
      const claim = claims[next];
      const outcome = claim === undefined ? undefined : counters.admitLocally(claim.request);
      if (claim === undefined || outcome === undefined) break;
      grants.push({ tag: claim.tag, request: claim.request, reservation: outcome.reservation, state: outcome.state });
    }
    if (next === claims.length) return { admitted: true, grants };
  }
  const rest = claims.slice(next);
  const results = await Promise.allSettled(rest.map((claim) => counters.reserve(claim.request)));
  let refused: { tag: T; state: CounterState } | undefined;
  let failure: { error: unknown } | undefined;
  results.forEach((result, index) => {
    const claim = rest[index];
    if (claim === undefined) return;
    if (result.status === 'rejected') failure ??= { error: result.reason };
    else if (result.value.admitted) grants.push({ tag: claim.tag, request: claim.request, reservation: result.value.reservation, state: result.value.state });
    else refused ??= { tag: claim.tag, state: result.value.state };
  });
  if (refused === undefined && failure === undefined) return { admitted: true, grants };
  releaseInBackground(counters, grants, logger);
  if (failure !== undefined) throw failure.error;
  if (refused === undefined) throw new Error('unreachable: neither refused nor failed');
  return { admitted: false, refused };
}

function releaseInBackground<T>(counters: CounterStore, grants: readonly Grant<T>[], logger: Logger): void {
  // A plain add (settles: false) keeps no reservation: there is nothing to release.
  const releasable = grants.filter((grant) => grant.request.settles !== false);
  if (releasable.length === 0) return;
  Promise.all(releasable.map((grant) => counters.settle(grant.reservation, 0, grant.request.nowMs))).catch((error: unknown) => {
    logger.warn('governance: releasing reservations failed; they expire with the reservation lifetime', {
      error: error instanceof Error ? error.message : String(error),
    });
  });
}
