import type { StreamEvent } from '../canonical/events';
import type { Deployment, WireFormat } from '../providers/provider';
import type { PiiSummary, UsageRecord } from '../stores/store';
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
  /** Adds the stage's findings to the request's usage record, whatever the ending (a refusal included). */
  annotate(annotation: RecordAnnotation): void;
}

/** What stages add to a usage record. */
export interface RecordAnnotation {
  readonly pii?: PiiSummary;
}

/**
 * Rewrites a provider's answer on its way to the caller (data protection puts redacted values back).
 * Each method gets the answer in one of its three shapes; each must keep the shape's guarantees.
 */
export interface AnswerRewriter {
  /** A pass-through JSON answer in the caller's own format. */
  json(body: Uint8Array | string, format: WireFormat): Uint8Array | string;
  /**
   * A pass-through SSE stream in the caller's own format: each event goes on as soon as it arrives,
   * holding back at most what the rewrite cannot yet decide (a possibly split placeholder); comments
   * (the cost trailer) and the terminal frames go through in order.
   */
  stream(bytes: AsyncIterable<Uint8Array>, format: WireFormat): AsyncIterable<Uint8Array>;
  /** The typed events of a translated answer, before the caller's encoder; keeps their order contract. */
  events(events: AsyncIterable<StreamEvent>): AsyncIterable<StreamEvent>;
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
  /** The call as the provider (and any later rewrite) sees it, e.g. with values redacted; absent = unchanged. */
  readonly rewriteCall?: (call: GatewayCall) => GatewayCall;
  /** Rewrites the answer before the caller sees it; absent = untouched (the pass-through fast path stays byte-exact). */
  readonly answer?: AnswerRewriter;
}

export interface Stage {
  /** For logs and metrics. */
  readonly name: string;
  admit(input: StageInput): Promise<Admission>;
  /**
   * true: the stage guards what the prompt contains (data protection), so it also runs for calls that
   * send the prompt to a provider without generating (Anthropic count_tokens), where budgets do not.
   * Such calls write no usage record, so their admissions are never settled: a content-guarding stage
   * must hold nothing that needs settling.
   */
  readonly inspectsContent?: boolean;
  /**
   * Makes durable what the stage holds in memory (leased counters' spending). Called by every drain: on
   * Lambda after each invocation, before the sandbox may be frozen; locally at shutdown.
   */
  flush?(): Promise<void>;
}
