/**
 * Runs `worker` over `items` with at most `concurrency` calls in flight, starting items in order.
 * Bounded so a wide usage range (days × shards partitions) neither floods the table with
 * parallel queries nor opens hundreds of sockets from one Lambda. After the first failure no new
 * item starts, and the returned promise rejects with that failure.
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  async function run(): Promise<void> {
    while (!failed && next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await worker(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  }
  const runners = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, run);
  await Promise.all(runners);
}
