/**
 * Iterates `source`, yielding `{ ping: true }` each time it has been silent for `intervalMs`. The
 * pending `next()` is kept across pings (never called twice), so no source value is lost or reordered.
 * Returning early (the consumer left) calls the source's return() without awaiting a `next()` that may
 * be waiting for the provider's next token.
 */
export type PingedStep<T> = { readonly ping: true } | { readonly ping: false; readonly value: T };

const PING = Symbol('ping');

export async function* withSilencePings<T>(source: AsyncIterable<T>, intervalMs: number): AsyncGenerator<PingedStep<T>, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined;
  let finished = false;
  try {
    for (;;) {
      pending ??= iterator.next();
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<typeof PING>((resolve) => {
        timer = setTimeout(resolve, intervalMs, PING);
      });
      let step: IteratorResult<T> | typeof PING;
      try {
        step = await Promise.race([pending, tick]);
      } finally {
        clearTimeout(timer);
      }
      if (step === PING) {
        yield { ping: true };
        continue;
      }
      pending = undefined;
      if (step.done === true) {
        finished = true;
        return;
      }
      yield { ping: false, value: step.value };
    }
  } catch (error) {
    finished = true;
    throw error;
  } finally {
    if (!finished) {
      // The consumer left: tell the source to stop; its teardown errors concern nobody.
      pending?.catch(() => undefined);
      iterator.return?.().catch(() => undefined);
    }
  }
}
