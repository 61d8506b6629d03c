import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EncodeContext, StreamEvent } from '../../../lambda/canonical/events';
import type { TokenUsage } from '../../../lambda/canonical/usage';

export const TRAILER = 'gatellm {"cost_usd":0.001}';

export function encodeContext(overrides: Partial<EncodeContext> = {}): EncodeContext {
  return {
    requestId: 'req_0123456789abcdef',
    tools: [],
    model: 'my-claude',
    createdAt: 1_764_230_400,
    includeUsage: false,
    usageExtras: () => ({}),
    trailer: () => TRAILER,
    ...overrides,
  };
}

export const usage = (input: number, output: number, cached = 0, cacheWrite = 0): StreamEvent =>
  ({ type: 'usage', usage: { inputTokens: input, outputTokens: output, cachedTokens: cached, cacheWriteTokens: cacheWrite, reasoningTokens: 0 } satisfies TokenUsage });

/** Yields the events, waiting `gapsMs[i]` before event i (a silent provider), then throws `failure` if given. */
export async function* eventSource(events: readonly StreamEvent[], options: { gapsMs?: Readonly<Record<number, number>>; failure?: Error } = {}): AsyncGenerator<StreamEvent> {
  for (const [index, event] of events.entries()) {
    const gap = options.gapsMs?.[index];
    if (gap !== undefined) await new Promise((resolve) => setTimeout(resolve, gap));
    yield event;
  }
  if (options.failure !== undefined) throw options.failure;
}

export async function collectBytes(stream: AsyncIterable<Uint8Array>): Promise<{ text: string; error: unknown }> {
  const decoder = new TextDecoder();
  let text = '';
  try {
    for await (const bytes of stream) text += decoder.decode(bytes, { stream: true });
  } catch (error) {
    return { text, error };
  }
  return { text, error: undefined };
}

/** A loopback server answering every POST with `body` (SSE or JSON), as a gateway route would. */
export async function replayServer(body: string, contentType: string): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': contentType, 'request-id': 'req_0123456789abcdef' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}
