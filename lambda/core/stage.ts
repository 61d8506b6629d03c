import type { Deployment } from '../providers/provider';
import type { UsageRecord } from '../stores/store';
import type { GatewayCall, Principal } from './types';

/**
 * A stage governs calls between authorisation and the provider call: budgets, rate limits, and later
 * PII protection. It sees the principal, the provider-neutral request and the deployments the call may
 * be served by; it rejects by throwing a GatewayError (serialised in the caller's format), or admits.
 */
export interface StageInput {
  readonly call: GatewayCall;
  readonly principal: Principal;
  /** The deployments the call may be served by, in fallback order (at least one). */
  readonly deployments: readonly Deployment[];
  /** Epoch milliseconds of admission: the clock every period and window is computed from. */
  readonly nowMs: number;
}

/** How the request ended: its one usage record (cost, tokens, status, serving provider and model). */
export interface StageSettlement {
  readonly record: UsageRecord;
  /** The deployment that served the call; absent when none did (rejected, or every provider failed). */
  readonly deployment?: Deployment;
}

export interface Admission {
  /** Headers for the caller's response, success or error (rate-limit state). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The most output tokens the stage assumed when it admitted the call (a budget reserved their cost).
   * When the caller set no limit, the gateway sets this one on the provider request so the assumption holds.
   */
  readonly outputTokenCap?: number;
  /**
   * Runs exactly once after the request has ended, however it ended (completed, client gone, provider
   * failed, rejected by another stage), after the response: the caller never waits for it.
   */
  readonly settle?: (settlement: StageSettlement) => Promise<void>;
}

export interface Stage {
  /** For logs and metrics. */
  readonly name: string;
  admit(input: StageInput): Promise<Admission>;
  /**
   * Makes durable what the stage holds in memory (leased counters' spending). Called by every drain: on
   * Lambda after each invocation, before the sandbox may be frozen; locally at shutdown.
   */
  flush?(): Promise<void>;
}
