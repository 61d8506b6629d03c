/** What a provider may still send after its stream's last event before the connection is given up on. */
const MAX_TRAILING_BYTES = 64 * 1024;

/**
 * Reads, and discards, what is left of a provider's streamed answer after its terminal event (Chat's
 * `data: [DONE]`), in the background. The response then ends on its own and its keep-alive connection
 * goes back to the pool for the next call. Stopping the source instead destroys the connection, and the
 * next call pays a new TCP connection (and, toward a real provider, a TLS handshake) before its first
 * token. What is left is normally only the end of the chunked body; a provider that keeps talking past
 * `MAX_TRAILING_BYTES` is cut off, and one that goes silent is ended by the response's idle timeout.
 */
export function drainInBackground(source: AsyncIterator<Uint8Array>): void {
  void (async () => {
    let bytes = 0;
    try {
      for (;;) {
        const step = await source.next();
        if (step.done === true) return;
        bytes += step.value.byteLength;
        if (bytes > MAX_TRAILING_BYTES) break;
      }
    } catch {
      // The connection failed or was aborted: nothing to reuse, nobody to tell.
      return;
    }
    await Promise.resolve(source.return?.()).catch(() => undefined);
  })();
}

/**
 * Lets go of a provider stream that its decoder stopped reading. After the provider's terminal event
 * (`providerDone`) the rest is drained so the connection can be reused; any other early exit (the
 * consumer gone, a failure) stops the source, which closes the connection. Teardown errors are
 * irrelevant to a consumer that has gone or already has the real error.
 */
export async function releaseSource(source: AsyncIterator<Uint8Array>, providerDone: boolean): Promise<void> {
  if (providerDone) {
    drainInBackground(source);
    return;
  }
  await Promise.resolve(source.return?.()).catch(() => undefined);
}
