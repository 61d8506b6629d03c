import type { Finding, ManagedDetector } from '../types';
import { chunkAnswers } from './chunk-answers';
import type { ChunkCache } from './chunk-cache';
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
  /** Its position among the request's pieces. */
  readonly index: number;
  readonly textIndex: number;
  readonly chunk: TextChunk;
  readonly bytes: number;
}

/** Text without a letter or digit holds no name and no address: it is not sent (empty text included). */
const HAS_CONTENT = /[\p{L}\p{N}]/u;

function piecesOf(texts: readonly string[], maxChunkBytes: number): Piece[] {
  return texts
    .flatMap((text, textIndex) =>
      HAS_CONTENT.test(text)
        ? splitUtf8(text, maxChunkBytes)
          .filter((chunk) => HAS_CONTENT.test(chunk.text))
          .map((chunk) => ({ textIndex, chunk, bytes: utf8Length(chunk.text) }))
        : [],
    )
    .map((piece, index) => ({ index, ...piece }));
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

/** Sends `pieces` packed into calls, a few calls at a time; reports each piece's findings by its index. */
async function sendPieces(
  batch: BatchDetector,
  pieces: readonly Piece[],
  signal: AbortSignal | undefined,
  onAnswer: (index: number, findings: readonly Finding[]) => void,
): Promise<void> {
  const batches = packBatches(pieces, batch.maxBatchBytes, batch.maxBatchChunks);
  await forEachBounded(batches, batch.concurrency, signal, async (group, callSignal) => {
    let found: Finding[][];
    try {
      found = await batch.detectBatch(group.map((piece) => piece.chunk.text), callSignal);
    } catch (error) {
      throw serviceFailure(batch.service, error, signal);
    }
    group.forEach((piece, position) => onAnswer(piece.index, found[position] ?? []));
  });
}

/**
 * A `ManagedDetector` over one service's batch calls. With a `cache`, a chunk whose text was checked
 * recently (a conversation's history, resent every turn) is answered from it and not sent again.
 */
export function batchedDetector(batch: BatchDetector, cache?: ChunkCache): ManagedDetector {
  return {
    async detect(texts, signal) {
      throwIfAborted(signal);
      const pieces = piecesOf(texts, batch.maxChunkBytes);
      let answers: (readonly Finding[])[];
      if (cache === undefined) {
        answers = pieces.map(() => []);
        await sendPieces(batch, pieces, signal, (index, findings) => {
          answers[index] = findings;
        });
      } else {
        const send = (indexes: readonly number[], onAnswer: (index: number, findings: readonly Finding[]) => void): Promise<void> =>
          sendPieces(batch, indexes.flatMap((index) => pieces[index] ?? []), signal, onAnswer);
        answers = await chunkAnswers(pieces.map((piece) => ({ text: piece.chunk.text, bytes: piece.bytes })), cache, send, signal);
      }
      throwIfAborted(signal);
      // Answers are relative to their chunk: placed where the chunk sits in its text in this request.
      const results: Finding[][] = texts.map(() => []);
      for (const piece of pieces) {
        const into = results[piece.textIndex];
        for (const finding of answers[piece.index] ?? []) {
          into?.push({ type: finding.type, start: finding.start + piece.chunk.offset, end: finding.end + piece.chunk.offset });
        }
      }
      return results.map(normalizeFindings);
    },
  };
}
