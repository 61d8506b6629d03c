import type { ServerResponse } from 'node:http';

/** Size of each filler write; the whole body is never built in memory. */
const FILLER_CHUNK = Buffer.alloc(64 * 1024, 'a');

/**
 * Writes `prefix`, then `fillerBytes` bytes of `a` in 64 KiB writes that wait for the socket to drain,
 * then `suffix`. Memory stays at one chunk however large the body; it stops as soon as the reader hangs
 * up (which is what a gateway that caps what it reads does).
 */
function writeHugeBody(res: ServerResponse, prefix: string, fillerBytes: number, suffix: string): void {
  let remaining = fillerBytes;
  const writeMore = (): void => {
    while (remaining > 0 && !res.destroyed) {
      const chunk = remaining >= FILLER_CHUNK.length ? FILLER_CHUNK : FILLER_CHUNK.subarray(0, remaining);
      remaining -= chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', writeMore);
        return;
      }
    }
    if (!res.destroyed) res.end(suffix);
  };
  res.write(prefix);
  writeMore();
}

const MIB = 1024 * 1024;

/** `huge-event-<MiB>`: a normal stream start, then one `data:` event of that many MiB. */
export function hugeEventStream(res: ServerResponse, requestId: string, mebibytes: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': requestId });
  const head = `data: ${JSON.stringify({ id: requestId, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant' } }] })}\n\n`;
  writeHugeBody(res, `${head}data: {"choices":[{"index":0,"delta":{"content":"`, mebibytes * MIB, '"}}]}\n\ndata: [DONE]\n\n');
}

/** `huge-json-<MiB>`: a 200 chat completion whose content is that many MiB, sent chunked (no content-length). */
export function hugeJson(res: ServerResponse, requestId: string, mebibytes: number): void {
  res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': requestId });
  writeHugeBody(res, `{"id":"${requestId}","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"`,
    mebibytes * MIB, '"},"finish_reason":"stop"}]}');
}
