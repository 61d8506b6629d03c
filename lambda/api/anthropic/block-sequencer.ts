import type { StreamEvent } from '../../canonical/events';

/**
 * Turns canonical content events into Anthropic content-block frames. Anthropic blocks are strictly
 * consecutive (start → deltas → stop, then the next), while canonical tool calls may interleave by
 * `index` (parallel calls). Blocks therefore form a queue whose head is the one open on the wire:
 *  - everything for the head block is written at once — the first tool call (and any text) is never
 *    delayed;
 *  - a later tool call's start and argument deltas are buffered only while an earlier block is still
 *    open, and flushed in order the moment that block ends;
 *  - text and thinking blocks end implicitly when content of another kind (or another tool call)
 *    arrives; tool blocks end on `tool_call_end`; every block ends at `finish` / the source's end.
 */
type BlockKind = 'text' | 'thinking' | 'tool_use' | 'redacted_thinking';

interface QueuedBlock {
  readonly kind: BlockKind;
  /** The `content_block_start` payload's `content_block`. */
  readonly start: Readonly<Record<string, unknown>>;
  /** The canonical tool-call index (tool blocks only). */
  readonly toolIndex?: number;
  /** `delta` payloads not yet written (only ever non-empty for a block behind the head). */
  readonly deltas: Record<string, unknown>[];
  started: boolean;
  closed: boolean;
}

/** One Anthropic SSE frame: event name and data object. */
export interface AnthropicFrame {
  readonly event: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export class BlockSequencer {
  private readonly queue: QueuedBlock[] = [];
  private nextWireIndex = 0;
  private madeToolCalls = false;

  get sawToolCalls(): boolean {
    return this.madeToolCalls;
  }

  /** Frames that `event` completes, in wire order; empty when it only fed a buffered block. */
  push(event: StreamEvent): AnthropicFrame[] {
    switch (event.type) {
      case 'text_delta':
        this.deltaFor('text', { type: 'text', text: '' }).deltas.push({ type: 'text_delta', text: event.text });
        break;
      case 'thinking_delta':
        this.deltaFor('thinking', { type: 'thinking', thinking: '', signature: '' }).deltas.push({ type: 'thinking_delta', thinking: event.text });
        break;
      case 'thinking_signature':
        this.deltaFor('thinking', { type: 'thinking', thinking: '', signature: '' }).deltas.push({ type: 'signature_delta', signature: event.signature });
        break;
      case 'redacted_thinking':
        this.closeOpenRun();
        this.queue.push(newBlock('redacted_thinking', { type: 'redacted_thinking', data: event.data }, true));
        break;
      case 'tool_call_start':
        this.closeOpenRun();
        this.madeToolCalls = true;
        this.queue.push({ ...newBlock('tool_use', { type: 'tool_use', id: event.id, name: event.name, input: {} }, false), toolIndex: event.index });
        break;
      case 'tool_call_delta':
        this.toolBlock(event.index)?.deltas.push({ type: 'input_json_delta', partial_json: event.arguments });
        break;
      case 'tool_call_end': {
        const block = this.toolBlock(event.index);
        if (block !== undefined) block.closed = true;
        break;
      }
      default:
        return [];
    }
    return this.drain();
  }

  /** Ends every block (at `finish` or the source's end) and returns the remaining frames. */
  closeAll(): AnthropicFrame[] {
    for (const block of this.queue) block.closed = true;
    return this.drain();
  }

  /** The open text/thinking block at the tail, or a new one after closing whatever run was open. */
  private deltaFor(kind: 'text' | 'thinking', start: Readonly<Record<string, unknown>>): QueuedBlock {
    const tail = this.queue.at(-1);
    if (tail !== undefined && tail.kind === kind && !tail.closed) return tail;
    this.closeOpenRun();
    const block = newBlock(kind, start, false);
    this.queue.push(block);
    return block;
  }

  /** Text and thinking end when something else starts; tool calls end only on their own end event. */
  private closeOpenRun(): void {
    const tail = this.queue.at(-1);
    if (tail !== undefined && (tail.kind === 'text' || tail.kind === 'thinking')) tail.closed = true;
  }

  private toolBlock(index: number): QueuedBlock | undefined {
    return this.queue.find((block) => block.toolIndex === index && !block.closed);
  }

  /** Writes the head block's pending frames; moves on while the head is finished. */
  private drain(): AnthropicFrame[] {
    const frames: AnthropicFrame[] = [];
    for (let head = this.queue[0]; head !== undefined; head = this.queue[0]) {
      const index = this.nextWireIndex;
      if (!head.started) {
        head.started = true;
        frames.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: head.start } });
      }
      for (const delta of head.deltas.splice(0)) frames.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta } });
      if (!head.closed) break;
      frames.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
      this.nextWireIndex++;
      this.queue.shift();
    }
    return frames;
  }
}

function newBlock(kind: BlockKind, start: Readonly<Record<string, unknown>>, closed: boolean): QueuedBlock {
  return { kind, start, deltas: [], started: false, closed };
}
