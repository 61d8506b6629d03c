import type { ResponseEncoder } from '../canonical/events';
import type { CanonicalRequest } from '../canonical/request';
import type { ApiFormat } from '../errors/serialize';
import type { HeaderMap } from '../http/types';
import type { WireFormat } from '../providers/provider';

/**
 * A request as the core sees it: already authenticated, parsed and validated by the inbound API layer,
 * which is the only layer that knows URL paths and JSON shapes of the public APIs.
 */
export interface GatewayCall {
  readonly requestId: string;
  readonly format: WireFormat;
  /** Which error shape the caller understands. */
  readonly apiFormat: ApiFormat;
  /** Public model name or alias the caller asked for. */
  readonly model: string;
  readonly stream: boolean;
  /** The caller's body as sent: what a provider of the caller's own format receives (pass-through). */
  readonly body: Readonly<Record<string, unknown>>;
  /** The same request, provider-neutral: what stages read and other formats are called from. */
  readonly canonical: CanonicalRequest;
  /** Encodes a translated answer into the caller's format; absent for pass-through-only APIs. */
  readonly encoder?: ResponseEncoder;
  /**
   * The caller's body field that caps generated tokens (`max_completion_tokens`, `max_tokens`, ...);
   * absent when the API generates none. The core sets it when a stage admitted the call on a cap.
   */
  readonly outputLimitField?: string;
  /** Size of the request body in bytes (input-token estimate when a provider reports no usage). */
  readonly bodyBytes: number;
  readonly headers: HeaderMap;
  readonly signal: AbortSignal;
  /** `performance.now()` at arrival. */
  readonly receivedAt: number;
}

/** Who is calling: resolved from the gateway key. */
export interface Principal {
  readonly keyId: string;
  readonly teamId: string;
  /** The owning user's id; absent for a team-owned key. */
  readonly user?: string;
  /** Model-name glob patterns the key may use; empty = all. */
  readonly models: readonly string[];
  /** Model-name glob patterns the key's team may use; empty = all. Both lists must allow a model. */
  readonly teamModels: readonly string[];
}
