import { Worker } from 'node:worker_threads';
import { InternalError } from '../errors/gateway-error';
import type { UsageRecord } from '../stores/store';
import { isUsageWriteReply, type UsageWriteRequest, type UsageWriterConfig } from './usage-writer-protocol';

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

export interface ThreadedUsageWriter {
  putUsages(records: readonly UsageRecord[]): Promise<void>;
  /** Waits for the writes in flight, then stops the thread. */
  close(): Promise<void>;
}

/**
 * putUsages on the usage writer thread (`script`, see usage-writer-thread.ts). The thread starts on the
 * first write; if it dies, the writes it had are failed (the gateway logs them as lost) and the next
 * write starts a new one.
 */
export function createThreadedUsageWriter(script: string, config: UsageWriterConfig): ThreadedUsageWriter {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, Pending>();
  let idle: (() => void) | undefined;
  let closing: Promise<void> | undefined;

  function settle(id: number, error?: Error): void {
    const waiting = pending.get(id);
    if (waiting === undefined) return;
    pending.delete(id);
    if (error === undefined) waiting.resolve();
    else waiting.reject(error);
    if (pending.size === 0) {
      worker?.unref();
      idle?.();
    }
  }

  function failAll(reason: string): void {
    for (const id of [...pending.keys()]) settle(id, new InternalError(`Usage writer thread stopped: ${reason}`));
  }

  function start(): Worker {
    // A small young generation: the thread's garbage is a few batches at a time, and V8's default
    // sizing would add about 8 MiB of resident memory for nothing.
    const thread = new Worker(script, { workerData: config, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    thread.on('message', (message: unknown) => {
      if (isUsageWriteReply(message)) settle(message.id, message.error === undefined ? undefined : new InternalError(message.error));
    });
    thread.on('error', (error: unknown) => failAll(error instanceof Error ? error.message : String(error)));
    thread.on('exit', (code) => {
      if (worker === thread) worker = undefined;
      failAll(`exit code ${code}`);
    });
    return thread;
  }

  return {
    putUsages(records) {
      const thread = worker ?? start();
      worker = thread;
      // Held while writes are in flight (their replies must arrive), let go when idle so that an idle
      // thread never keeps a stopping process alive.
      thread.ref();
      const request: UsageWriteRequest = { id: nextId++, records };
      return new Promise<void>((resolve, reject) => {
        pending.set(request.id, { resolve, reject });
        thread.postMessage(request);
      });
    },
    close() {
      closing ??= (async () => {
        if (pending.size > 0) await new Promise<void>((resolve) => { idle = resolve; });
        await worker?.terminate();
        worker = undefined;
      })();
      return closing;
    },
  };
}
