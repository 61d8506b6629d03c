import type { FakeAnswer, FakeBlock } from './scenarios';

/** One SSE frame exactly as Anthropic writes it: `event:` line, one `data:` line, blank line. */
export function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function errorJson(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_fake' });
}

function blockStart(block: FakeBlock): Record<string, unknown> {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: '' };
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} };
  }
}

function blockDeltas(block: FakeBlock): Record<string, unknown>[] {
  switch (block.type) {
    case 'text':
      return block.pieces.map((text) => ({ type: 'text_delta', text }));
    case 'thinking':
      return [...block.pieces.map((thinking) => ({ type: 'thinking_delta', thinking })), { type: 'signature_delta', signature: block.signature }];
    case 'tool_use':
      return block.jsonPieces.map((partial_json) => ({ type: 'input_json_delta', partial_json }));
  }
}

/** The full event sequence of a streamed answer (Anthropic's order, a ping after message_start). */
export function streamFrames(answer: FakeAnswer, model: string, id: string): string[] {
  const { usage } = answer;
  const frames = [
    frame('message_start', {
      type: 'message_start',
      message: {
        id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null,
        usage: { input_tokens: usage.input_tokens, cache_creation_input_tokens: usage.cache_creation_input_tokens, cache_read_input_tokens: usage.cache_read_input_tokens, output_tokens: 1 },
      },
    }),
    frame('ping', { type: 'ping' }),
  ];
  answer.blocks.forEach((block, index) => {
    frames.push(frame('content_block_start', { type: 'content_block_start', index, content_block: blockStart(block) }));
    for (const delta of blockDeltas(block)) frames.push(frame('content_block_delta', { type: 'content_block_delta', index, delta }));
    frames.push(frame('content_block_stop', { type: 'content_block_stop', index }));
  });
  if (answer.errorMidStream) {
    // Anthropic ends an overloaded stream with an error event and no message_delta/message_stop.
    frames.splice(4, frames.length - 4, `event: error\ndata: ${errorJson('overloaded_error', 'Overloaded')}\n\n`);
    return frames;
  }
  frames.push(frame('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: answer.stopReason, stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  }));
  frames.push(frame('message_stop', { type: 'message_stop' }));
  return frames;
}

/** The Message object of a non-streamed answer. */
export function messageJson(answer: FakeAnswer, model: string, id: string): string {
  const content = answer.blocks.map((block) => {
    switch (block.type) {
      case 'text':
        return { type: 'text', text: block.pieces.join('') };
      case 'thinking':
        return { type: 'thinking', thinking: block.pieces.join(''), signature: block.signature };
      case 'tool_use':
        return { type: 'tool_use', id: block.id, name: block.name, input: JSON.parse(block.jsonPieces.join('')) as unknown };
    }
  });
  return JSON.stringify({ id, type: 'message', role: 'assistant', model, content, stop_reason: answer.stopReason, stop_sequence: null, usage: answer.usage });
}
