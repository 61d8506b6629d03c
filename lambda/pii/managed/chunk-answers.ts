import type { Finding } from '../types';
import type { ChunkCache, PendingAnswer } from './chunk-cache';
import { abortReason } from './failures';

export interface ChunkToCheck {
  readonly text: string;
  /** Its UTF-8 length, what the cache's bound counts. */
  readonly bytes: number;
}

/**
 * Sends the chunks at `indexes` to the service and reports each one's findings (relative to the chunk)
 * as its call answers. Rejects on the first failed call.
 */
export type SendChunks = (indexes: readonly number[], onAnswer: (index: number, findings: readonly Finding[]) => void) => Promise<void>;

interface KeyedChunk {
  readonly index: number;
  readonly key: string;
  readonly bytes: number;
}

/** Settles as `promise` does, or rejects with the abort reason as soon as `signal` fires. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Each chunk's findings, relative to the chunk: remembered ones, the answer of a call already in flight
 * for the same text (another request's, or an earlier copy of the chunk in this one), and `send` for
 * the rest. Throws what `send` throws, or the abort reason.
 */
export async function chunkAnswers(
  chunks: readonly ChunkToCheck[],
  cache: ChunkCache,
  send: SendChunks,
  signal: AbortSignal | undefined,
): Promise<(readonly Finding[])[]> {
  const keyed: KeyedChunk[] = chunks.map((chunk, index) => ({ index, key: cache.keyOf(chunk.text), bytes: chunk.bytes }));
  const answers: (readonly Finding[])[] = chunks.map(() => []);

  /** One pass over `pending`; returns the chunks whose awaited call (another request's) was abandoned. */
  async function settle(pending: readonly KeyedChunk[], share: boolean): Promise<KeyedChunk[]> {
    const own = new Map<number, PendingAnswer>();
    const waits: { readonly chunk: KeyedChunk; readonly answer: Promise<readonly Finding[]> }[] = [];
    for (const chunk of pending) {
      const lookup = cache.lookup(chunk.key, chunk.bytes, share);
      if (lookup.kind === 'known') answers[chunk.index] = lookup.findings;
      else if (lookup.kind === 'in-flight') waits.push({ chunk, answer: lookup.answer });
      else own.set(chunk.index, lookup.pending);
    }
    try {
      if (own.size > 0) {
        await send([...own.keys()], (index, findings) => {
          answers[index] = findings;
          own.get(index)?.resolve(findings);
        });
      }
    } finally {
      // A resolved answer ignores this; an unanswered one is released to whoever waits for it.
      for (const pendingAnswer of own.values()) pendingAnswer.abandon();
    }
    if (waits.length === 0) return [];
    const outcomes = await untilAborted(Promise.allSettled(waits.map((wait) => wait.answer)), signal);
    const abandoned: KeyedChunk[] = [];
    waits.forEach(({ chunk }, position) => {
      const outcome = outcomes[position];
      if (outcome?.status === 'fulfilled') answers[chunk.index] = outcome.value;
      else abandoned.push(chunk);
    });
    return abandoned;
  }

  const abandoned = await settle(keyed, true);
  // The request that was sending them failed or went away: send them now, and wait for nobody again.
  if (abandoned.length > 0) await settle(abandoned, false);
  return answers;
}
