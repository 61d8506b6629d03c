import { gatewaySettings, type GatewayConfig } from '../config/gateway-config';
import { quoteCallerText } from '../errors/caller-text';
import { GatewayError, InternalError, InvalidRequestError, ModelNotAllowedError, UpstreamError, toGatewayError } from '../errors/gateway-error';
import { streamErrorEvent } from '../errors/serialize';
import type { OutboundResponse } from '../http/types';
import type { Logger } from '../logging/logger';
import { createLogRequestLog, type RequestLog } from '../logging/request-log';
import type { Deployment, ProviderAdapter, ProviderRequest, ProviderResult, StreamHooks } from '../providers/provider';
import type { SecretResolver } from '../secrets/secret-resolver';
import type { GatewayStores } from '../stores/store';
import { BackgroundWork } from './background-work';
import { deploymentCredentials } from './deployment-credentials';
import { KeyAuthenticator } from './key-authenticator';
import { formatCost } from './metering';
import { meterStream } from './metered-stream';
import { principalAllows, reachableDeployments } from './model-access';
import type { Stage } from './stage';
import { admitStages, withOutputCap } from './stage-runner';
import { rewriteAnswer } from './answer-rewrite';
import { ModelRouter } from './routing';
import type { GatewayCall, Principal } from './types';
import { costTrailerText, translatedJson, translatedStream } from './translated-response';
import { UsageTracker } from './usage-tracker';
import { UsageSink, type UsageSinkOptions } from './usage-sink';
import { encodeSseComment } from '../sse/encoder';

export interface GatewayDeps {
  readonly config: GatewayConfig;
  readonly stores: GatewayStores;
  readonly secrets: SecretResolver;
  readonly logger: Logger;
  /** Where each finished request's record is logged (and turned into metrics). @default an info log line */
  readonly requestLog?: RequestLog;
  /** Provider adapters by provider type. */
  readonly providers: ReadonlyMap<string, ProviderAdapter>;
  /** Shared with the admin API in one process so a revocation takes effect at once. */
  readonly authenticator?: KeyAuthenticator;
  /** Governance between authorisation and the provider call, in order (budgets, rate limits, ...). @default none */
  readonly stages?: readonly Stage[];
  /**
   * How finished requests' usage records are batched into store calls. @default 25 records or 20 ms,
   * whichever comes first (see UsageSink)
   */
  readonly usageBatching?: UsageSinkOptions;
  /** The clock stages compute periods and windows from. @default Date.now */
  readonly now?: () => number;
}

function withHeaders(response: OutboundResponse, headers: Readonly<Record<string, string>>): OutboundResponse {
  return Object.keys(headers).length === 0 ? response : { ...response, headers: { ...response.headers, ...headers } };
}

/** Errors worth trying the next deployment for; a caller's own mistake (400) is not. */
function isRetriable(error: GatewayError): boolean {
  return error.status === 429 || error.status >= 500;
}

/**
 * The request pipeline (after the inbound layer authenticated): authorize → stages → route → call (with
 * fallbacks) → stream → meter → settle. Stages (budgets, rate limits, PII protection) receive the
 * principal and the call, may reject, and settle from the request's usage record once it has ended.
 */
export class Gateway {
  private readonly background: BackgroundWork;
  private readonly authenticator: KeyAuthenticator;
  private readonly router: ModelRouter;
  private readonly usageSink: UsageSink;
  private readonly requestLog: RequestLog;

  constructor(private readonly deps: GatewayDeps) {
    this.router = new ModelRouter(deps.config);
    this.authenticator = deps.authenticator ?? new KeyAuthenticator(deps.stores, gatewaySettings(deps.config).keyCacheSeconds * 1000);
    this.background = new BackgroundWork((error) => {
      deps.logger.error('background work failed', { error: error instanceof Error ? error.message : String(error) });
    });
    this.usageSink = new UsageSink(deps.stores.usage, this.background, deps.usageBatching);
    this.requestLog = deps.requestLog ?? createLogRequestLog(deps.logger);
  }

  /** Writes buffered usage records and waits for all background work (Lambda calls this before returning). */
  async drain(): Promise<void> {
    // Finished requests' deferred bookkeeping first: it queues their records and starts their settlements.
    await this.background.drain();
    this.usageSink.flush();
    await this.background.drain();
    // After the settlements above: they are what the stages' leases have to make durable.
    await Promise.all((this.deps.stages ?? []).flatMap((stage) => (stage.flush === undefined ? [] : [stage.flush()])));
  }

  authenticate(credential: string | undefined): Promise<Principal> {
    return this.authenticator.authenticate(credential);
  }

  /** Public model names and aliases this principal can reach (an alias only with a target it may use). */
  visibleModels(principal: Principal): string[] {
    return this.router.names().filter((name) =>
      principalAllows(principal, name) && reachableDeployments(principal, this.router.resolve(name)).length > 0);
  }

  /**
   * Runs one call for an authenticated principal (the inbound layer authenticates before it reads the
   * body, so nothing about the body is reported to an unknown caller); throws a GatewayError when it
   * fails before any byte of the response exists. Every call that gets here is recorded.
   */
  async execute(call: GatewayCall, principal: Principal): Promise<OutboundResponse> {
    const nowMs = (this.deps.now ?? Date.now)();
    const usage = new UsageTracker(call, principal, new Date(nowMs), this.usageSink, this.requestLog, (work) => this.background.defer(work));
    try {
      const deployments = this.deploymentsFor(principal, call.model);
      const { admitted, rejection } = await admitStages(this.deps.stages ?? [], {
        call, principal, deployments, nowMs, annotate: (annotation) => usage.annotate(annotation),
      }, this.background, this.deps.logger);
      // From here every ending of the request settles the admitted stages, exactly once.
      usage.whenFinished((record, servedBy) => admitted.settle(servedBy === undefined ? { record } : { record, deployment: servedBy }));
      if (rejection !== undefined) throw rejection;
      const governed = withOutputCap(admitted.rewriteCall(call), admitted.outputTokenCap());
      const result = await this.callWithFallback(deployments, governed, usage, this.streamHooks(governed, usage));
      const answer = rewriteAnswer(result, admitted.answerRewriters(), governed.format);
      return withHeaders(await this.respond(governed, answer, usage), admitted.headers());
    } catch (error) {
      const gatewayError = toGatewayError(error);
      const status = call.signal.aborted ? 'client_aborted' : gatewayError.status >= 500 ? 'upstream_error' : 'error';
      usage.finish({ httpStatus: gatewayError.status, status, errorCode: gatewayError.code });
      throw gatewayError;
    }
  }

  private async respond(call: GatewayCall, result: ProviderResult, usage: UsageTracker): Promise<OutboundResponse> {
    switch (result.kind) {
      case 'json':
        return this.jsonResponse(call, result, usage);
      case 'stream':
        return this.streamResponse(call, result, usage);
      case 'events':
        // A translated JSON answer is collected before anything is sent, so its failure is still an HTTP error.
        return call.stream ? translatedStream(call, result, usage) : translatedJson(call, result, usage);
    }
  }

  /**
   * The provider's own count of a request's input tokens (Anthropic `count_tokens`), from the first
   * deployment the key may use whose provider has one; undefined when none has (the caller estimates).
   * Nothing is recorded: counting is free at every provider.
   */
  async countTokens(original: GatewayCall, principal: Principal): Promise<number | undefined> {
    const deployments = this.deploymentsFor(principal, original.model);
    const call = await this.guardContent(original, principal, deployments);
    // Refused by data protection: nothing may leave, so the caller's own estimate answers instead.
    if (call === undefined) return undefined;
    for (const deployment of deployments) {
      const adapter = this.deps.providers.get(deployment.provider.type);
      if (adapter?.countTokens === undefined || !adapter.serves(deployment, call.format)) continue;
      const credentials = await deploymentCredentials(this.deps.secrets, deployment, this.deps.logger);
      return adapter.countTokens(deployment, this.providerRequest(call), credentials);
    }
    return undefined;
  }

  /**
   * The call as content-guarding stages (data protection) let it reach a provider, or undefined when one
   * refuses it. For calls that send the prompt without generating anything (count_tokens): no budget or
   * limit applies, no record is written, so nothing is settled.
   */
  private async guardContent(call: GatewayCall, principal: Principal, deployments: readonly Deployment[]): Promise<GatewayCall | undefined> {
    const guards = (this.deps.stages ?? []).filter((stage) => stage.inspectsContent === true);
    if (guards.length === 0) return call;
    const input = { call, principal, deployments, nowMs: (this.deps.now ?? Date.now)(), annotate: () => undefined };
    const { admitted, rejection } = await admitStages(guards, input, this.background, this.deps.logger);
    return rejection === undefined ? admitted.rewriteCall(call) : undefined;
  }

  /** The key must be allowed the name it calls and, for an alias, at least one of its models by name. */
  private deploymentsFor(principal: Principal, model: string): Deployment[] {
    if (!principalAllows(principal, model)) throw new ModelNotAllowedError(model);
    const reachable = reachableDeployments(principal, this.router.resolve(model));
    if (reachable.length === 0) throw new ModelNotAllowedError(model);
    return reachable;
  }

  private providerRequest(call: GatewayCall): ProviderRequest {
    return {
      requestId: call.requestId, format: call.format, body: call.body, canonical: call.canonical, stream: call.stream,
      clientHeaders: call.headers, signal: call.signal,
    };
  }

  /**
   * Why a deployment cannot take this call, or undefined when it can: its provider does not serve the
   * caller's API at all, or only by translation while the request uses a field only that API honours.
   */
  private unservable(call: GatewayCall, deployment: Deployment, adapter: ProviderAdapter | undefined): GatewayError | undefined {
    if (adapter === undefined || !adapter.serves(deployment, call.format)) {
      return new GatewayError(400, 'invalid_request_error', 'unsupported_operation',
        `Model '${quoteCallerText(call.model)}' cannot serve this endpoint.`, { param: 'model' });
    }
    const [field] = call.canonical.sameFormatOnly;
    if (field !== undefined && !adapter.isNative(deployment, call.format)) {
      return new InvalidRequestError(`'${field}' cannot be honoured by model '${quoteCallerText(call.model)}': its provider speaks another API, `
        + 'and the gateway never drops a field silently. Remove the field or use a model of this API.', 'unsupported_parameter', { param: field });
    }
    return undefined;
  }

  private async callWithFallback(deployments: readonly Deployment[], call: GatewayCall, usage: UsageTracker, hooks: StreamHooks): Promise<ProviderResult> {
    let lastError: GatewayError | undefined;
    const request = this.providerRequest(call);
    for (const deployment of deployments) {
      const adapter = this.deps.providers.get(deployment.provider.type);
      const refusal = this.unservable(call, deployment, adapter);
      if (refusal !== undefined || adapter === undefined) {
        // A later deployment of an alias may speak the caller's API; the first refusal is the one reported.
        lastError ??= refusal;
        continue;
      }
      usage.servedBy(deployment);
      try {
        const credentials = await deploymentCredentials(this.deps.secrets, deployment, this.deps.logger);
        const result = await adapter.call(deployment, request, credentials, hooks);
        // Only now has a provider taken the request on; anything that failed before is not billed.
        usage.accepted();
        return result;
      } catch (error) {
        lastError = toGatewayError(error);
        if (!isRetriable(lastError) || call.signal.aborted) throw lastError;
        this.deps.logger.warn('deployment failed, trying the next', {
          requestId: call.requestId, model: deployment.modelName, provider: deployment.providerName, code: lastError.code, status: lastError.status,
        });
      }
    }
    throw lastError ?? new InternalError('No deployment was tried.');
  }

  private streamHooks(call: GatewayCall, usage: UsageTracker): StreamHooks {
    return {
      onUsage: (reported) => {
        usage.report(reported);
        return { cost_usd: usage.current().costUsd };
      },
      // An SSE comment: ignored by every SSE client, readable by anyone who wants the cost of a stream.
      trailer: () => encodeSseComment(costTrailerText(call, usage)),
    };
  }

  private jsonResponse(call: GatewayCall, result: Extract<ProviderResult, { kind: 'json' }>, usage: UsageTracker): OutboundResponse {
    if (result.usage !== undefined) usage.report(result.usage);
    const record = usage.finish({ httpStatus: result.status, status: 'ok', ttftMs: performance.now() - call.receivedAt });
    return {
      status: result.status,
      headers: { ...result.headers, 'x-gatellm-cost-usd': formatCost(record?.costUsd ?? 0) },
      body: result.body,
    };
  }

  private streamResponse(call: GatewayCall, result: Extract<ProviderResult, { kind: 'stream' }>, usage: UsageTracker): OutboundResponse {
    const body = meterStream(result.stream, {
      receivedAt: call.receivedAt,
      clientGone: () => call.signal.aborted,
      outputChars: result.outputChars,
      errorEvent: (error) => streamErrorEvent(
        error instanceof GatewayError ? error : new UpstreamError('The provider stream broke off.', { cause: error }), call.apiFormat, call.requestId),
      finish: (outcome) => usage.finish(outcome),
    });
    return { status: result.status, headers: { ...result.headers, 'x-accel-buffering': 'no' }, body };
  }
}
