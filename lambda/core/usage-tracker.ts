import { capText } from '../errors/caller-text';
import type { RequestLog } from '../logging/request-log';
import type { Deployment } from '../providers/provider';
import type { TokenUsage } from '../canonical/usage';
import type { UsageRecord, UsageStatus } from '../stores/store';
import type { RecordAnnotation } from './stage';
import { costUsd, estimateUsage } from './metering';
import type { GatewayCall, Principal } from './types';
import type { UsageSink } from './usage-sink';

const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

export interface UsageOutcome {
  readonly httpStatus: number;
  readonly status: UsageStatus;
  readonly ttftMs?: number;
  readonly errorCode?: string;
  /** Generated characters seen, for the estimate when no usage was reported. */
  readonly outputChars?: number;
}

/**
 * Collects what one request used and writes exactly one usage record, after the response has ended,
 * whatever the ending: success, client disconnect, upstream failure or a rejection by a stage.
 */
export class UsageTracker {
  private deployment: Deployment | undefined;
  private reported: TokenUsage | undefined;
  /** A provider took the request on (answered with a response, not an error). */
  private providerAccepted = false;
  private finished = false;
  private annotation: RecordAnnotation = {};
  private finishListener: ((record: UsageRecord, servedBy: Deployment | undefined) => void) | undefined;

  constructor(
    private readonly call: GatewayCall,
    private readonly principal: Principal,
    private readonly startedAt: Date,
    private readonly sink: UsageSink,
    private readonly requestLog: RequestLog,
    /** Runs bookkeeping after the response is out (BackgroundWork.defer). @default at once */
    private readonly afterResponse: (work: () => void) => void = (work) => work(),
  ) {}

  /** Called once with the record when the request ends (stages settle from it). */
  whenFinished(listener: (record: UsageRecord, servedBy: Deployment | undefined) => void): void {
    this.finishListener = listener;
  }

  servedBy(deployment: Deployment): void {
    this.deployment = deployment;
  }

  /** The deployment last named in servedBy answered: from here on the request is billable. */
  accepted(): void {
    this.providerAccepted = true;
  }

  /** Stage findings for the record (merged; later annotations win per field). */
  annotate(annotation: RecordAnnotation): void {
    this.annotation = { ...this.annotation, ...annotation };
  }

  report(usage: TokenUsage): void {
    this.reported = usage;
  }

  /**
   * Tokens and cost so far: the provider's numbers when it reported them; an estimate only when a provider
   * accepted the request but reported nothing (a stream that broke off); zero when no provider took the
   * request on (missing key, unreachable, timeout before headers, 401/429/5xx), since providers bill none of those.
   */
  current(outputChars = 0): { usage: TokenUsage; estimated: boolean; costUsd: number } {
    if (this.deployment === undefined || !this.providerAccepted) return { usage: NO_USAGE, estimated: false, costUsd: 0 };
    const usage = this.reported ?? estimateUsage(this.call.bodyBytes, outputChars);
    return { usage, estimated: this.reported === undefined, costUsd: costUsd(usage, this.deployment.model.price) };
  }

  /** Records the request once; later calls (a second ending) are ignored and return undefined. */
  finish(outcome: UsageOutcome): UsageRecord | undefined {
    if (this.finished) return undefined;
    this.finished = true;
    const { usage, estimated, costUsd: cost } = this.current(outcome.outputChars);
    const latencyMs = Math.round((performance.now() - this.call.receivedAt) * 100) / 100;
    const userAgent = this.call.headers['user-agent'];
    const record: UsageRecord = {
      requestId: this.call.requestId,
      time: this.startedAt.toISOString(),
      keyId: this.principal.keyId,
      teamId: this.principal.teamId,
      // Caller-supplied strings are capped: an oversized item would fail the batch that carries it.
      ...(this.principal.user === undefined ? {} : { user: capText(this.principal.user) }),
      requestedModel: capText(this.call.model),
      ...(this.deployment === undefined ? {} : { provider: this.deployment.providerName, providerModel: this.deployment.model.model }),
      operation: this.call.format,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedTokens: usage.cachedTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      reasoningTokens: usage.reasoningTokens,
      usageEstimated: estimated,
      costUsd: cost,
      latencyMs,
      ...(outcome.ttftMs === undefined ? {} : { ttftMs: Math.round(outcome.ttftMs * 100) / 100 }),
      httpStatus: outcome.httpStatus,
      status: outcome.status,
      streamed: this.call.stream,
      ...(userAgent === undefined ? {} : { userAgent: capText(userAgent) }),
      ...(outcome.errorCode === undefined ? {} : { errorCode: outcome.errorCode }),
      ...(this.annotation.pii === undefined ? {} : { pii: this.annotation.pii }),
    };
    // The record is complete now (its cost goes into a response header); logging it, queueing it for the
    // store and settling the stages (which may start store calls) wait until the response is written.
    const listener = this.finishListener;
    const servedBy = this.providerAccepted ? this.deployment : undefined;
    this.afterResponse(() => {
      this.requestLog(record);
      this.sink.write(record);
      listener?.(record, servedBy);
    });
    return record;
  }
}
