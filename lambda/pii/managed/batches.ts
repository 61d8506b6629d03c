import type { Finding, ManagedDetector } from '../types';
import { splitUtf8, utf8Length, type TextChunk } from './chunks';
import { serviceFailure, throwIfAborted, type ManagedService } from './failures';
import { normalizeFindings } from './findings';

/**
 * The part every managed detector shares: texts cut into chunks the service accepts, chunks packed
 * into calls, calls run a few at a time, findings mapped back to the texts they came from.
 */

/** One service's side: what a call may hold and what it finds. */
export interface BatchDetector {
  readonly service: ManagedService;
  /** The most UTF-8 bytes one text may send in one piece. */
  readonly maxChunkBytes: number;
  /** The most UTF-8 bytes (summed over its chunks) and chunks one call may carry. */
  readonly maxBatchBytes: number;
  readonly maxBatchChunks: number;
  /** Calls in flight at once for one `detect`. */
  readonly concurrency: number;
  /** Findings per chunk, offsets in UTF-16 units into that chunk. Throws the SDK's error as it is. */
  detectBatch(chunks: readonly string[], signal: AbortSignal): Promise<Finding[][]>;
}

interface Piece {
  readonly textIndex: number;
  readonly chunk: TextChunk;
  readonly bytes: number;
}

/** Text without a letter or digit holds no name and no address: it is not sent (empty text included). */
const HAS_CONTENT = /[\p{L}\p{N}]/u;

function piecesOf(texts: readonly string[], maxChunkBytes: number): Piece[] {
  return texts.flatMap((text, textIndex) =>
    HAS_CONTENT.test(text)
      ? splitUtf8(text, maxChunkBytes)
        .filter((chunk) => HAS_CONTENT.test(chunk.text))
        .map((chunk) => ({ textIndex, chunk, bytes: utf8Length(chunk.text) }))
      : [],
  );
}

function packBatches(pieces: readonly Piece[], maxBytes: number, maxChunks: number): Piece[][] {
  const batches: Piece[][] = [];
  let current: Piece[] = [];
  let bytes = 0;
  for (const piece of pieces) {
    if (current.length > 0 && (bytes + piece.bytes > maxBytes || current.length >= maxChunks)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(piece);
    bytes += piece.bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Runs `work` over `items`, at most `limit` at a time. The first failure stops the rest: nothing new
 * starts and the calls in flight are aborted through the signal `work` gets.
 */
async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal | undefined,
  work: (item: T, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const stop = new AbortController();
  const combined = signal === undefined ? stop.signal : AbortSignal.any([signal, stop.signal]);
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await work(item, combined);
      } catch (error) {
        if (failure === undefined) {
          failure = { error };
          stop.abort();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
}

/** A `ManagedDetector` over one service's batch calls. */
export function batchedDetector(batch: BatchDetector): ManagedDetector {
  return {
    async detect(texts, signal) {
      throwIfAborted(signal);
      const results: Finding[][] = texts.map(() => []);
      const batches = packBatches(piecesOf(texts, batch.maxChunkBytes), batch.maxBatchBytes, batch.maxBatchChunks);
      await forEachBounded(batches, batch.concurrency, signal, async (pieces, callSignal) => {
        let found: Finding[][];
        try {
          found = await batch.detectBatch(pieces.map((piece) => piece.chunk.text), callSignal);
        } catch (error) {
          throw serviceFailure(batch.service, error, signal);
        }
        pieces.forEach((piece, index) => {
          const into = results[piece.textIndex];
          for (const finding of found[index] ?? []) {
            into?.push({ type: finding.type, start: finding.start + piece.chunk.offset, end: finding.end + piece.chunk.offset });
          }
        });
      });
      throwIfAborted(signal);
      return results.map(normalizeFindings);
    },
  };
}
