import { meterStream } from '../../lambda/core/metered-stream';
import type { UsageOutcome } from '../../lambda/core/usage-tracker';

/** What the usage record of a stream says about it: time to first token, outcome, error code. */
const encoder = new TextEncoder();

async function* paced(pauseMs: number, failWith?: Error): AsyncGenerator<Uint8Array> {
  yield encoder.encode('a');
  await new Promise((resolve) => setTimeout(resolve, pauseMs));
  yield encoder.encode('b');
  if (failWith !== undefined) throw failWith;
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += new TextDecoder().decode(chunk);
  return text;
}

describe('meterStream outcome (mutation: lambda/core)', () => {
  it('measures time to first token at the first chunk, not the last', async () => {
    const finishes: UsageOutcome[] = [];
    const receivedAt = performance.now();
    const text = await drain(meterStream(paced(80), {
      receivedAt, clientGone: () => false, outputChars: () => 2, errorEvent: () => 'unused', finish: (outcome) => finishes.push(outcome),
    }));
    expect(text).toBe('ab');
    expect(finishes).toHaveLength(1);
    expect(finishes[0]).toStrictEqual({ httpStatus: 200, status: 'ok', ttftMs: expect.any(Number) as number, outputChars: 2 });
    expect(finishes[0]?.ttftMs).toBeLessThan(60);
  });

  it('records no ttft and no error code for a stream that ends before its first chunk', async () => {
    const finishes: UsageOutcome[] = [];
    async function* empty(): AsyncGenerator<Uint8Array> {}
    await drain(meterStream(empty(), {
      receivedAt: performance.now(), clientGone: () => false, outputChars: () => 0, errorEvent: () => 'unused', finish: (outcome) => finishes.push(outcome),
    }));
    expect(finishes).toStrictEqual([{ httpStatus: 200, status: 'ok', outputChars: 0 }]);
  });

  it('passes the source error to errorEvent and writes that text as the last chunk', async () => {
    const finishes: UsageOutcome[] = [];
    const seen: unknown[] = [];
    const failure = new Error('reset by peer');
    const text = await drain(meterStream(paced(1, failure), {
      receivedAt: performance.now(), clientGone: () => false, outputChars: () => 7,
      errorEvent: (error) => {
        seen.push(error);
        return '|error';
      },
      finish: (outcome) => finishes.push(outcome),
    }));
    expect(text).toBe('ab|error');
    expect(seen).toEqual([failure]);
    expect(finishes).toStrictEqual([{ httpStatus: 200, status: 'upstream_error', ttftMs: expect.any(Number) as number, errorCode: 'upstream_error', outputChars: 7 }]);
  });
});
