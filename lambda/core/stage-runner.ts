import { toGatewayError, type GatewayError } from '../errors/gateway-error';
import type { Logger } from '../logging/logger';
import type { BackgroundWork } from './background-work';
import type { Admission, AnswerRewriter, Stage, StageInput, StageSettlement } from './stage';
import type { GatewayCall } from './types';

/**
 * The admissions of one call. Stages are admitted concurrently, so all their store calls make one
 * parallel round before the provider call; each admitted stage is settled exactly once, in the
 * background, however the request ended.
 */
export class AdmittedStages {
  private settled = false;

  constructor(
    private readonly admissions: readonly { readonly stage: Stage; readonly admission: Admission }[],
    private readonly background: BackgroundWork,
    private readonly logger: Logger,
  ) {}

  /** Every admission's response headers (rate-limit state); later stages win on a clash. */
  headers(): Record<string, string> {
    return Object.assign({}, ...this.admissions.map(({ admission }) => admission.headers ?? {})) as Record<string, string>;
  }

  /** The tightest output-token cap any stage admitted the call on, or undefined. */
  outputTokenCap(): number | undefined {
    const caps = this.admissions.flatMap(({ admission }) => (admission.outputTokenCap === undefined ? [] : [admission.outputTokenCap]));
    return caps.length === 0 ? undefined : Math.min(...caps);
  }

  /** The call as the provider sees it: every admitted stage's rewrite, in stage order. */
  rewriteCall(call: GatewayCall): GatewayCall {
    return this.admissions.reduce((current, { admission }) => admission.rewriteCall?.(current) ?? current, call);
  }

  /** The answer rewriters, innermost (closest to the provider) first: the reverse of stage order. */
  answerRewriters(): AnswerRewriter[] {
    return this.admissions.flatMap(({ admission }) => (admission.answer === undefined ? [] : [admission.answer])).reverse();
  }

  /** Settles every admitted stage once; later calls do nothing. Never throws: a failed settle is logged. */
  settle(settlement: StageSettlement): void {
    if (this.settled) return;
    this.settled = true;
    for (const { stage, admission } of this.admissions) {
      if (admission.settle === undefined) continue;
      this.background.track(admission.settle(settlement).catch((error: unknown) => {
        this.logger.error('stage settlement failed', {
          stage: stage.name, requestId: settlement.record.requestId, error: error instanceof Error ? error.message : String(error),
        });
      }));
    }
  }
}

export interface StageOutcome {
  readonly admitted: AdmittedStages;
  /** The first refusal in stage order; the admitted stages must still be settled. */
  readonly rejection?: GatewayError;
}

export async function admitStages(stages: readonly Stage[], input: StageInput, background: BackgroundWork, logger: Logger): Promise<StageOutcome> {
  if (stages.length === 0) return { admitted: new AdmittedStages([], background, logger) };
  const results = await Promise.allSettled(stages.map((stage) => stage.admit(input)));
  const admissions: { stage: Stage; admission: Admission }[] = [];
  let rejection: GatewayError | undefined;
  results.forEach((result, index) => {
    const stage = stages[index];
    if (stage === undefined) return;
    if (result.status === 'fulfilled') admissions.push({ stage, admission: result.value });
    else rejection ??= toGatewayError(result.reason);
  });
  const admitted = new AdmittedStages(admissions, background, logger);
  return rejection === undefined ? { admitted } : { admitted, rejection };
}

/**
 * The call with an admitted output cap applied where the caller set none: in the caller's own field
 * (the pass-through body) and in the canonical request (translation), so the bound a budget reserved
 * on is the bound the provider honours.
 */
export function withOutputCap(call: GatewayCall, cap: number | undefined): GatewayCall {
  if (cap === undefined || call.canonical.maxTokens !== undefined || call.outputLimitField === undefined) return call;
  return {
    ...call,
    body: { ...call.body, [call.outputLimitField]: cap },
    canonical: { ...call.canonical, maxTokens: cap },
  };
}
