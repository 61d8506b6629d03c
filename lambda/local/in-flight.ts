/** The requests a server is still handling, so shutdown can wait for them (boundedly). */
export class InFlight {
  private readonly pending = new Set<Promise<void>>();

  add(handling: Promise<void>): void {
    this.pending.add(handling);
    void handling.finally(() => this.pending.delete(handling));
  }

  /** Resolves true once nothing is in flight, or false after `timeoutMs` if something still is. */
  async settled(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, remaining);
      });
      await Promise.race([Promise.allSettled([...this.pending]), timedOut]);
      clearTimeout(timer);
    }
    return true;
  }
}
