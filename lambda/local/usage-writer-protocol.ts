import type { UsageRecord } from '../stores/store';

/** What the usage writer thread is started with (its workerData). */
export interface UsageWriterConfig {
  /** The embedded store's endpoint (see EmbeddedDynamo.endpoint). */
  readonly endpoint: string;
  readonly tableName: string;
  readonly retentionDays: number;
}

/** One putUsages call, sent to the thread. */
export interface UsageWriteRequest {
  readonly id: number;
  readonly records: readonly UsageRecord[];
}

/** Its outcome, sent back: `error` is the failure's message (records are never echoed). */
export interface UsageWriteReply {
  readonly id: number;
  readonly error?: string;
}

export function isUsageWriteRequest(message: unknown): message is UsageWriteRequest {
  return typeof message === 'object' && message !== null && typeof (message as { id?: unknown }).id === 'number'
    && Array.isArray((message as { records?: unknown }).records);
}

export function isUsageWriteReply(message: unknown): message is UsageWriteReply {
  return typeof message === 'object' && message !== null && typeof (message as { id?: unknown }).id === 'number';
}
