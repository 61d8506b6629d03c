/**
 * A local stand-in for the Lambda Node.js runtime's response-streaming contract, faithful where our
 * code depends on it (modelled on the runtime interface client's ResponseStream/HttpResponseStream):
 * - `awslambda.streamifyResponse(handler)` marks the handler and returns it; the runtime (here
 *   `invokeStreaming`) then calls it as `(event, responseStream, context)`.
 * - `awslambda.HttpResponseStream.from(stream, prelude)` sets the content type
 *   `application/vnd.awslambda.http-integration-response` and arranges for `JSON.stringify(prelude)`
 *   and 8 NUL bytes to be written lazily, on the FIRST `write()`.
 * - `end(chunk)` without an earlier `write()` bypasses that hook, so the prelude is never sent (the
 *   runtime's known 502); `setContentType` throws once something was written.
 * Every chunk reaching the "wire" is recorded with a timestamp so tests can prove incremental delivery;
 * `disconnect()` destroys the stream mid-way as a client that went away.
 */
import type { Context, StreamifyHandler } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { finished } from 'node:stream/promises';
import { Writable } from 'node:stream';

export const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
export const DELIMITER_LENGTH = 8;
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** The runtime interface client's marker for streaming handlers. */
const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const STREAM_RESPONSE = 'response';

export interface RecordedChunk {
  readonly data: Buffer;
  /** `performance.now()` when the chunk reached the wire. */
  readonly at: number;
}

type RawWrite = (chunk: string | Uint8Array) => void;
type WriteCallback = (error: Error | null | undefined) => void;

/** The runtime's response stream; `from` is the HttpResponseStream decorator, typed as @types/aws-lambda declares it. */
export class LocalResponseStream extends Writable {
  readonly recorded: RecordedChunk[] = [];
  contentType = DEFAULT_CONTENT_TYPE;
  /** Set by `from`; the runtime calls it once, before the first `write()`. */
  _onBeforeFirstWrite: ((write: RawWrite) => void) | undefined;
  #writeCalled = false;
  readonly #listeners = new Set<() => void>();

  constructor() {
    super({
      write: (chunk: Buffer, _encoding, callback) => {
        this.recorded.push({ data: chunk, at: performance.now() });
        for (const listener of this.#listeners) listener();
        callback();
      },
    });
  }

  static from(writable: Writable, prelude: Record<string, unknown>): LocalResponseStream {
    if (!(writable instanceof LocalResponseStream)) throw new TypeError('HttpResponseStream.from expects the runtime response stream.');
    writable.setContentType(PRELUDE_CONTENT_TYPE);
    const metadata = JSON.stringify(prelude);
    writable._onBeforeFirstWrite = (write) => {
      write(metadata);
      write(new Uint8Array(DELIMITER_LENGTH));
    };
    return writable;
  }

  setContentType(contentType: string): void {
    if (this.#writeCalled) throw new Error('Cannot set content-type, too late.');
    this.contentType = contentType;
  }

  override write(chunk: unknown, encoding?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean {
    const raw: RawWrite = (data) => {
      super.write(data);
    };
    // As the runtime does: anything that is not text or bytes is sent as JSON.
    const data = typeof chunk === 'string' || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk);
    if (!this.#writeCalled && this._onBeforeFirstWrite !== undefined) this._onBeforeFirstWrite(raw);
    this.#writeCalled = true;
    // Writable.end(chunk) writes through an internal path, not this method: that is the quirk.
    return typeof encoding === 'function' ? super.write(data, encoding) : super.write(data, encoding ?? 'utf8', callback);
  }

  /** Called after every recorded chunk; returns the unsubscribe. */
  onChunk(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

function streamifyResponse<TEvent, TResult>(handler: StreamifyHandler<TEvent, TResult>): StreamifyHandler<TEvent, TResult> {
  Object.defineProperty(handler, HANDLER_STREAMING, { value: STREAM_RESPONSE, configurable: true });
  return handler;
}

const shim: typeof awslambda = { HttpResponseStream: LocalResponseStream, streamifyResponse };

/** Installs the `awslambda` global; call before building a handler (middy looks it up then). */
export function installLambdaRuntime(): void {
  Object.defineProperty(globalThis, 'awslambda', { value: shim, configurable: true, writable: true });
}

export function uninstallLambdaRuntime(): void {
  Reflect.deleteProperty(globalThis, 'awslambda');
}

export function isStreamingHandler(handler: unknown): handler is StreamifyHandler<unknown, unknown> {
  return typeof handler === 'function' && Reflect.get(handler, HANDLER_STREAMING) === STREAM_RESPONSE;
}

export interface ParsedStreamingResponse {
  /** The parsed JSON prelude, or undefined when the 8-NUL delimiter never arrived. */
  readonly prelude: unknown;
  readonly body: Buffer;
}

/** Splits the wire bytes at the first run of 8 NUL bytes into the JSON prelude and the body. */
export function parseStreamingResponse(bytes: Uint8Array): ParsedStreamingResponse {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = buffer.indexOf(Buffer.alloc(DELIMITER_LENGTH));
  if (at < 0) return { prelude: undefined, body: buffer };
  return { prelude: JSON.parse(buffer.subarray(0, at).toString('utf8')), body: buffer.subarray(at + DELIMITER_LENGTH) };
}

export type InvocationOutcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

export interface StreamingInvocation {
  readonly stream: LocalResponseStream;
  /** Settles when the handler's promise has settled and the stream has finished or been destroyed. */
  readonly done: Promise<InvocationOutcome>;
  /** Everything written so far, prelude and delimiter included. */
  readonly wire: Buffer;
  readonly prelude: unknown;
  /** Body bytes per write, with the time each reached the wire (empty writes dropped). */
  readonly bodyChunks: readonly RecordedChunk[];
  readonly bodyText: string;
  /** Resolves once the body text so far satisfies `predicate`; rejects after `timeoutMs`. */
  waitForBody(predicate: (text: string) => boolean, timeoutMs?: number): Promise<void>;
  /** Destroys the response stream, as when the client goes away. */
  disconnect(): void;
}

export interface InvokeOptions {
  /** Milliseconds `getRemainingTimeInMillis` reports at the start. @default 900000 */
  readonly remainingTimeMs?: number;
}

export function createTestContext(options: InvokeOptions = {}): Context {
  const deadline = Date.now() + (options.remainingTimeMs ?? 900_000);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'gatellm-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:gatellm-test',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/gatellm-test',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function bodyChunksOf(recorded: readonly RecordedChunk[]): RecordedChunk[] {
  const wire = Buffer.concat(recorded.map((chunk) => chunk.data));
  const delimiterAt = wire.indexOf(Buffer.alloc(DELIMITER_LENGTH));
  if (delimiterAt < 0) return [];
  let bodyStart = delimiterAt + DELIMITER_LENGTH;
  const chunks: RecordedChunk[] = [];
  for (const chunk of recorded) {
    const data = chunk.data.subarray(Math.min(bodyStart, chunk.data.length));
    bodyStart = Math.max(0, bodyStart - chunk.data.length);
    if (data.length > 0) chunks.push({ data, at: chunk.at });
  }
  return chunks;
}

/** Invokes a handler built with `awslambda.streamifyResponse` the way the runtime does. */
export function invokeStreaming(handler: unknown, event: unknown, options: InvokeOptions = {}): StreamingInvocation {
  if (!isStreamingHandler(handler)) throw new TypeError('Not a streaming handler: build it with awslambda.streamifyResponse.');
  const stream = new LocalResponseStream();
  const settled = Promise.resolve()
    .then(() => handler(event, stream, createTestContext(options)))
    .then((): InvocationOutcome => ({ ok: true }), (error: unknown): InvocationOutcome => ({ ok: false, error }));
  const done = settled.then(async (outcome) => {
    await finished(stream).catch(() => undefined);
    return outcome;
  });
  const wire = (): Buffer => Buffer.concat(stream.recorded.map((chunk) => chunk.data));
  // Decoded as a whole: a multi-byte character may straddle two chunks.
  const bodyText = (): string => parseStreamingResponse(wire()).body.toString('utf8');

  return {
    stream,
    done,
    get wire() {
      return wire();
    },
    get prelude() {
      return parseStreamingResponse(wire()).prelude;
    },
    get bodyChunks() {
      return bodyChunksOf(stream.recorded);
    },
    get bodyText() {
      return bodyText();
    },
    waitForBody(predicate, timeoutMs = 2000) {
      return new Promise<void>((resolve, reject) => {
        if (predicate(bodyText())) return resolve();
        const timer = setTimeout(() => {
          unsubscribe();
          reject(new Error(`Body never matched; got ${JSON.stringify(bodyText())}`));
        }, timeoutMs);
        const unsubscribe = stream.onChunk(() => {
          if (!predicate(bodyText())) return;
          clearTimeout(timer);
          unsubscribe();
          resolve();
        });
      });
    },
    disconnect() {
      stream.destroy();
    },
  };
}
