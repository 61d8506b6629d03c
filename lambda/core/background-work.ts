/**
 * Work that must finish after the response has ended (usage writes). Locally the process lives on;
 * on Lambda the handler awaits `drain()` after the body has streamed, so the sandbox is not frozen
 * with a write half done, and the client never waits for it.
 */
export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  track(work: Promise<unknown>): void {
    const tracked = work.catch(this.onError).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /**
   * Runs `work` once the current turn of the event loop is over: after the response in hand has been
   * written (adapters write it in the same turn the core returns it), so bookkeeping never delays a
   * caller. Tracked like any other background work, so `drain()` waits for it.
   */
  defer(work: () => void): void {
    this.track(new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        try {
          work();
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    }));
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
