import { randomUUID } from 'node:crypto';
import type { GatewayConfig } from '../config/gateway-config';
import type { KeyAuthenticator } from '../core/key-authenticator';
import type { InboundRequest, OutboundResponse } from '../http/types';
import type { Logger } from '../logging/logger';
import type { GatewayStores, LimitScope } from '../stores/store';

export interface AdminAppDeps {
  readonly config: GatewayConfig;
  readonly stores: GatewayStores;
  readonly logger: Logger;
  /** Present when the gateway runs in the same process: revocations and rotations then apply at once. */
  readonly authenticator?: KeyAuthenticator;
  /**
   * Writes the usage records still buffered in this process; awaited before every usage read, so a
   * report read right after a response includes it. Local mode passes the gateway's drain; on AWS
   * the admin function runs apart from the gateway, which writes before its invocation returns.
   */
  readonly flushUsage?: () => Promise<void>;
  /** Tells same-process caches that a scope's budgets or limits changed, so they apply at once. */
  readonly policyChanged?: (scope: LimitScope, scopeId: string) => void;
  readonly now?: () => number;
}

/** What every admin route module receives. */
export interface AdminContext extends AdminAppDeps {
  readonly now: () => number;
  /**
   * Appends one audit entry for a change made by this request (who from the adapter's identity,
   * when from the clock); `before`/`after` are the public views, never a secret or its hash.
   */
  audit(request: InboundRequest, change: AuditedChange): Promise<void>;
}

export interface AuditedChange {
  readonly action: string;
  readonly target: string;
  readonly before?: Readonly<Record<string, unknown>>;
  readonly after?: Readonly<Record<string, unknown>>;
}

export function createAdminContext(deps: AdminAppDeps): AdminContext {
  const now = deps.now ?? Date.now;
  return {
    ...deps,
    now,
    async audit(request, change) {
      await deps.stores.audit.appendAudit({
        id: `aud_${randomUUID().replaceAll('-', '')}`,
        time: new Date(now()).toISOString(),
        actor: request.identity ?? 'unknown',
        ...change,
      });
    },
  };
}

export function json(status: number, value: unknown): OutboundResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
