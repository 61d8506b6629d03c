import type { ResponseEncoder } from '../canonical/events';
import type { CanonicalRequest } from '../canonical/request';
import type { ApiFormat } from '../errors/serialize';
import type { WireFormat } from '../providers/provider';

/**
 * One inbound API: how its bodies become canonical requests, and how translated answers are encoded
 * back into it. A new inbound API is one folder plus one entry in the table of gateway-app.ts.
 */
export interface InboundApi {
  readonly format: WireFormat;
  /** The error shape its callers understand. */
  readonly errorFormat: ApiFormat;
  /**
   * Validates a parsed JSON body (400 naming the field) and maps it to the canonical request. `model`
   * has been checked already.
   */
  parse(body: Readonly<Record<string, unknown>>, model: string): CanonicalRequest;
  /** Absent for APIs that are only ever passed through (embeddings, legacy completions). */
  readonly encoder?: ResponseEncoder;
  /** The body field that caps generated tokens; absent for APIs that generate none (embeddings). */
  readonly outputLimitField?: string;
}
