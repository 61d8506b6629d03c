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

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
