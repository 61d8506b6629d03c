import type { UsageOutcome } from './usage-tracker';

export interface MeteredStreamOptions {
  readonly receivedAt: number;
  /** True when the client went away (the adapter aborted the request signal). */
  readonly clientGone: () => boolean;
  /** Characters of output seen so far (for estimates). */
  readonly outputChars: () => number;
  /**
   * SSE text that tells the caller, in its own error shape, that the stream failed midway. Absent when
   * the source writes its own error frame (translated streams: the caller's encoder does).
   */
  readonly errorEvent?: (error: unknown) => string;
  readonly finish: (outcome: UsageOutcome) => void;
}

const encoder = new TextEncoder();

/**
 * Forwards a provider stream chunk by chunk and records usage when it ends, however it ends.
 * A client disconnect surfaces here as `return()` (or as an upstream error caused by the aborted
 * signal); either way `finish` runs in `finally`, so metering completes without the client.
 */
export async function* meterStream(source: AsyncIterable<Uint8Array>, options: MeteredStreamOptions): AsyncGenerator<Uint8Array> {
  let ttftMs: number | undefined;
  let outcome: UsageOutcome['status'] = 'client_aborted';
  let errorCode: string | undefined;
  try {
    for await (const chunk of source) {
      ttftMs ??= performance.now() - options.receivedAt;
      yield chunk;
    }
    outcome = 'ok';
  } catch (error) {
    if (options.clientGone()) {
      outcome = 'client_aborted';
    } else {
      outcome = 'upstream_error';
      errorCode = 'upstream_error';
      // Headers (200) are long gone: the only honest signal left is an error event in the caller's shape.
      if (options.errorEvent !== undefined) yield encoder.encode(options.errorEvent(error));
    }
  } finally {
    options.finish({
      httpStatus: 200,
      status: outcome,
      ...(ttftMs === undefined ? {} : { ttftMs }),
      ...(errorCode === undefined ? {} : { errorCode }),
      outputChars: options.outputChars(),
    });
  }
}
