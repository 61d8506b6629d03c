import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EncodeContext, StreamEvent } from '../../../lambda/canonical/events';
import { responsesEncoder } from '../../../lambda/api/responses/responses-encoder';

export const TRAILER = 'gatellm {"cost_usd":0.001}';

export function context(overrides: Partial<EncodeContext> = {}): EncodeContext {
  return {
    requestId: 'req_0123456789abcdef0123456789abcdef', tools: [], model: 'my-model', createdAt: 1_796_000_000, includeUsage: false,
    usageExtras: () => ({ cost_usd: 0.001 }), trailer: () => TRAILER, ...overrides,
  };
}

export async function* eventsOf(events: readonly StreamEvent[], failure?: Error): AsyncGenerator<StreamEvent> {
  for (const event of events) yield event;
  if (failure !== undefined) throw failure;
}

/** Encodes `events` as SSE; returns the bytes and the error rethrown at the end, if any. */
export async function encodeStream(events: readonly StreamEvent[], failure?: Error): Promise<{ chunks: Uint8Array[]; text: string; error?: unknown }> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of responsesEncoder.encodeStream(eventsOf(events, failure), context())) chunks.push(chunk);
  } catch (error) {
    return { chunks, text: Buffer.concat(chunks).toString('utf8'), error };
  }
  return { chunks, text: Buffer.concat(chunks).toString('utf8') };
}

/** The parsed `data` of every frame, with its `event:` name. */
export function frames(sse: string): { event: string | undefined; data: Record<string, unknown> }[] {
  return sse.split('\n\n').filter((block) => block !== '' && !block.startsWith(':')).map((block) => {
    const lines = block.split('\n');
    return {
      event: lines.find((line) => line.startsWith('event: '))?.slice(7),
      data: JSON.parse(lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n')) as Record<string, unknown>,
    };
  });
}

/**
 * A 127.0.0.1 server answering every request with the SSE body when the request asked for a stream and
 * with the JSON body otherwise: what the gateway would send for the same answer.
 */
export async function replayServer(): Promise<{ url: string; serve(sse: string, json?: string): void; close(): Promise<void> }> {
  let sse = '';
  let json = '{}';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const stream = (JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { stream?: unknown }).stream === true;
      res.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json', 'x-request-id': 'req_replay' });
      res.end(stream ? sse : json);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    serve(nextSse, nextJson) {
      sse = nextSse;
      json = nextJson ?? '{}';
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export const USAGE = { inputTokens: 20, outputTokens: 9, cachedTokens: 8, cacheWriteTokens: 0, reasoningTokens: 3 } as const;

/** Thinking, text, then two interleaved parallel tool calls, finish, late usage. */
export const RICH_EVENTS: readonly StreamEvent[] = [
  { type: 'message_start', id: 'msg_upstream', model: 'claude-x' },
  { type: 'thinking_delta', text: 'Let me ' },
  { type: 'thinking_delta', text: 'think.' },
  { type: 'thinking_signature', signature: 'EqQBCkYIBx' },
  { type: 'text_delta', text: 'Hello ' },
  { type: 'text_delta', text: 'wörld 👋' },
  { type: 'tool_call_start', index: 0, id: 'toolu_A', name: 'get_weather' },
  { type: 'tool_call_start', index: 1, id: 'toolu_B', name: 'get_time' },
  { type: 'tool_call_delta', index: 0, arguments: '{"city":"Pa' },
  { type: 'tool_call_delta', index: 1, arguments: '{"tz":"Europe/' },
  { type: 'tool_call_delta', index: 0, arguments: 'ris"}' },
  { type: 'tool_call_delta', index: 1, arguments: 'Paris"}' },
  { type: 'tool_call_end', index: 1 },
  { type: 'tool_call_end', index: 0 },
  { type: 'finish', reason: 'tool_calls' },
  { type: 'usage', usage: USAGE },
];
