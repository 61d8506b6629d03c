import type { UsageRecord, UsageStore } from '../stores/store';
import type { BackgroundWork } from './background-work';

export interface UsageSinkOptions {
  /**
   * Records per putUsages call. The DynamoDB store writes them 25 per BatchWriteItem (its limit) and
   * adds one roll-up update per group per call, so larger batches save roll-up updates. @default 25
   */
  readonly maxBatch?: number;
  /** Longest a record waits for company before it is written. @default 20 */
  readonly maxDelayMs?: number;
}

/**
 * Batches usage records into few store calls. One DynamoDB call per record costs far more CPU in the
 * SDK (signing, serialising, HTTP) than the request it meters; under load a batch of 25 shares that
 * cost. On Lambda (one request per invocation) the handler's drain flushes right after the response.
 */
export class UsageSink {
  private buffer: UsageRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;

  constructor(private readonly store: UsageStore, private readonly background: BackgroundWork, options: UsageSinkOptions = {}) {
    this.maxBatch = options.maxBatch ?? 25;
    this.maxDelayMs = options.maxDelayMs ?? 20;
  }

  write(record: UsageRecord): void {
    this.buffer.push(record);
    if (this.buffer.length >= this.maxBatch) {
      this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.maxDelayMs);
      // A pending batch must not keep a stopping process alive; shutdown drains explicitly.
      this.timer.unref();
    }
  }

  /** Starts writing whatever is buffered; the write is tracked as background work. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.background.track(this.store.putUsages(batch));
  }
}
