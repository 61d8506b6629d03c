import { meterStream, type MeteredStreamOptions } from '../../lambda/core/metered-stream';
import type { UsageOutcome } from '../../lambda/core/usage-tracker';

const encoder = new TextEncoder();

function options(finishes: UsageOutcome[], clientGone = false): MeteredStreamOptions {
  return {
    receivedAt: performance.now(),
    clientGone: () => clientGone,
    outputChars: () => 3,
    errorEvent: () => 'data: {"error":{}}\n\n',
    finish: (outcome) => finishes.push(outcome),
  };
}

/** A provider stream that sends one chunk, then pauses until released (a slow model between tokens). */
function pausedAfterFirstChunk(): { source: AsyncGenerator<Uint8Array>; release: () => void } {
  let release = (): void => {};
  const paused = new Promise<void>((resolve) => {
    release = resolve;
  });
  async function* source(): AsyncGenerator<Uint8Array> {
    yield encoder.encode('first');
    await paused;
    yield encoder.encode('second');
  }
  return { source: source(), release };
}

describe('meterStream', () => {
  it('finishes exactly once when the consumer returns early between chunks (a slow client leaving)', async () => {
    const finishes: UsageOutcome[] = [];
    const { source, release } = pausedAfterFirstChunk();
    const stream = meterStream(source, options(finishes, true));
    expect((await stream.next()).done).toBe(false);
    // The adapter stops iterating while the generator waits at its yield: only `finally` still runs.
    await stream.return(undefined);
    expect(finishes).toEqual([expect.objectContaining({ status: 'client_aborted', httpStatus: 200, outputChars: 3 })]);
    expect(finishes[0]?.ttftMs).toBeGreaterThanOrEqual(0);
    release();
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(finishes).toHaveLength(1);
  });

  it('finishes once with ok when the source ends', async () => {
    const finishes: UsageOutcome[] = [];
    const { source, release } = pausedAfterFirstChunk();
    release();
    const chunks: Uint8Array[] = [];
    for await (const chunk of meterStream(source, options(finishes))) chunks.push(chunk);
    expect(chunks).toHaveLength(2);
    expect(finishes).toEqual([expect.objectContaining({ status: 'ok' })]);
  });

  it('ends a broken stream with an error event and records an upstream error', async () => {
    const finishes: UsageOutcome[] = [];
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield encoder.encode('first');
      throw new Error('socket closed');
    }
    const text: string[] = [];
    for await (const chunk of meterStream(broken(), options(finishes))) text.push(new TextDecoder().decode(chunk));
    expect(text.at(-1)).toContain('"error"');
    expect(finishes).toEqual([expect.objectContaining({ status: 'upstream_error', errorCode: 'upstream_error' })]);
  });

  it('records a source failure caused by the client leaving as client_aborted, without an error event', async () => {
    const finishes: UsageOutcome[] = [];
    async function* aborted(): AsyncGenerator<Uint8Array> {
      yield encoder.encode('first');
      throw new Error('aborted');
    }
    const chunks: Uint8Array[] = [];
    for await (const chunk of meterStream(aborted(), options(finishes, true))) chunks.push(chunk);
    expect(chunks).toHaveLength(1);
    expect(finishes).toEqual([expect.objectContaining({ status: 'client_aborted' })]);
  });
});
