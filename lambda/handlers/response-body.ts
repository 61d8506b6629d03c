import { Readable } from 'node:stream';
import type { ResponseBody } from '../http/types';

/**
 * A Readable over the app's chunk iterator, for middy to pipe into the Lambda response stream.
 *
 * When the response stream closes early (client gone), `pipeline` destroys this Readable, and
 * Readable.from then stops the iterator. Two details matter:
 * - Readable.from prefers `iterator.throw(err)` on an error destroy; the contract in http/types is
 *   `return()`, so the wrapper exposes only `next` and `return`.
 * - An async generator runs `return()` only after its pending `next()` settles, and the producer is
 *   usually awaiting its upstream then. `onEarlyStop` (which aborts the request signal) therefore runs
 *   first, synchronously, so the upstream call is cancelled and the pending `next()` can settle.
 * Readable.from also calls `return()` after a normal end (auto-destroy); that is not an early stop.
 */
export function readableFromChunks(body: AsyncIterable<Uint8Array>, onEarlyStop: () => void): Readable {
  const iterator = body[Symbol.asyncIterator]();
  let exhausted = false;
  const returnOnly: AsyncIterableIterator<Uint8Array> = {
    async next() {
      const result = await iterator.next();
      if (result.done === true) exhausted = true;
      return result;
    },
    async return(value?: unknown) {
      if (!exhausted) onEarlyStop();
      exhausted = true;
      if (iterator.return === undefined) return { done: true, value: undefined };
      return iterator.return(value);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  // objectMode false: chunks are bytes, and middy's pipeline writes each one as it is read.
  return Readable.from(returnOnly, { objectMode: false });
}

/** A body middy can write: strings as they are, bytes as a one-chunk stream. */
export function bufferedBody(body: string | Uint8Array): string | Readable {
  return typeof body === 'string' ? body : Readable.from([body], { objectMode: false });
}

/** Collects any body into text, for the buffered (non-streaming) admin entry point. */
export async function bodyText(body: ResponseBody): Promise<string> {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  return Buffer.concat(chunks).toString('utf8');
}
