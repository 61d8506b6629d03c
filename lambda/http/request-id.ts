import { randomUUID } from 'node:crypto';

/** `req_` + 32 hex chars: unique, URL-safe, recognisable in logs and in SDK error messages. */
export function newRequestId(): string {
  return `req_${randomUUID().replaceAll('-', '')}`;
}
