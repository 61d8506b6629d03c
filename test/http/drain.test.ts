import { drainInBackground } from '../../lambda/http/drain';

/** A source of `chunks` chunks of 1 KiB that records whether it was stopped, and when it was read to its end. */
function source(chunks: number): { iterator: AsyncIterator<Uint8Array>; stopped: () => boolean; ended: Promise<void> } {
  let sent = 0;
  let stopped = false;
  let markEnded = (): void => undefined;
  const ended = new Promise<void>((resolve) => { markEnded = resolve; });
  const iterator: AsyncIterator<Uint8Array> = {
    next: () => {
      if (stopped || sent >= chunks) {
        markEnded();
        return Promise.resolve({ done: true, value: undefined });
      }
      sent += 1;
      return Promise.resolve({ done: false, value: new Uint8Array(1024) });
    },
    return: () => {
      stopped = true;
      markEnded();
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return { iterator, stopped: () => stopped, ended };
}

describe('drainInBackground', () => {
  it('reads what is left to the end without stopping the source, so its connection can be reused', async () => {
    const rest = source(3);
    drainInBackground(rest.iterator);
    await rest.ended;
    expect(rest.stopped()).toBe(false);
  });

  it('stops a source that keeps sending past 64 KiB', async () => {
    const endless = source(10_000);
    drainInBackground(endless.iterator);
    await endless.ended;
    expect(endless.stopped()).toBe(true);
  });

  it('swallows a failing source: nobody is left to tell', async () => {
    const failing: AsyncIterator<Uint8Array> = { next: () => Promise.reject(new Error('reset')) };
    drainInBackground(failing);
    await new Promise((resolve) => setImmediate(resolve));
  });
});
