import type { IncomingMessage } from 'node:http';

export interface CollectOptions {
  /** Bytes accepted; one more and the promise rejects with `tooLarge()`. */
  readonly maxBytes: number;
  readonly tooLarge: () => Error;
  /** What a stream error or a close before the end becomes (`undefined` for a close without an error). */
  readonly failed: (error: Error | undefined) => Error;
  /**
   * Destroy the message once it is too large: right for an answer we no longer want (the connection is
   * not reused), wrong for a request we still have to answer on the same socket.
   */
  readonly destroyWhenTooLarge: boolean;
}

/**
 * An incoming message's whole body, bounded. Plain 'data' events rather than `for await`: the async
 * iterator costs several promise turns per message, twice per proxied request (request and answer),
 * and most bodies arrive in one chunk. Every listener is removed once settled; IncomingMessage emits
 * 'error' only while someone listens, so a late failure cannot go unhandled.
 */
export function collectBody(message: IncomingMessage, options: CollectOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer): void => {
      length += chunk.byteLength;
      if (length <= options.maxBytes) {
        chunks.push(chunk);
        return;
      }
      settle();
      reject(options.tooLarge());
      if (options.destroyWhenTooLarge) message.destroy();
    };
    const onEnd = (): void => {
      settle();
      resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, length));
    };
    const onError = (error: Error): void => {
      settle();
      reject(options.failed(error));
    };
    const onClose = (): void => {
      if (message.complete) return;
      settle();
      reject(options.failed(undefined));
    };
    function settle(): void {
      message.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    }
    message.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
