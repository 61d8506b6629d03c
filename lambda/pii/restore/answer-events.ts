import type { StreamEvent } from '../../canonical/events';
import type { PlaceholderTable } from './placeholder-table';
import { createTextRestorer, type TextRestorer } from './text-restorer';

type DeltaEvent = Extract<StreamEvent, { type: 'text_delta' | 'thinking_delta' }>;

/**
 * The typed events of a translated answer with placeholders restored. Three kinds of channel: text and
 * thinking (plain), and each tool call's arguments (JSON text, so originals go in escaped), restored
 * across any split of their deltas.
 *
 * Text held back (a possibly split placeholder) goes out as an extra delta of its own kind just before
 * an event that would otherwise overtake it: any other content, a signature, the finish, the end of
 * its tool call, the end of the stream (or a failure, then rethrown). So the order contract holds:
 * content stays in generation order, every call's arguments end before its `tool_call_end`, nothing
 * follows `finish` but usage. Parallel calls' arguments do not overtake each other (each call is told
 * apart by index), so a placeholder split across an interleaving is still restored. `usage` carries
 * no content and overtakes nothing: it never forces a flush.
 */
export async function* restoreEvents(events: AsyncIterable<StreamEvent>, table: PlaceholderTable): AsyncGenerator<StreamEvent, void, undefined> {
  const text = createTextRestorer(table, 'plain');
  const thinking = createTextRestorer(table, 'plain');
  const tools = new Map<number, TextRestorer>();

  function* flushContent(kind: DeltaEvent['type'], restorer: TextRestorer): Generator<StreamEvent> {
    if (restorer.holding) yield { type: kind, text: restorer.end() };
  }

  function* flushTool(index: number): Generator<StreamEvent> {
    const restorer = tools.get(index);
    tools.delete(index);
    if (restorer?.holding === true) yield { type: 'tool_call_delta', index, arguments: restorer.end() };
  }

  function* flushAll(): Generator<StreamEvent> {
    yield* flushContent('text_delta', text);
    yield* flushContent('thinking_delta', thinking);
    for (const index of [...tools.keys()].sort((a, b) => a - b)) yield* flushTool(index);
  }

  /** The delta with its text restored; undefined when all of it is held back (an empty delta stays). */
  function restoreDelta(event: DeltaEvent, restorer: TextRestorer): DeltaEvent | undefined {
    const restored = restorer.push(event.text);
    if (restored === event.text) return event;
    return restored === '' ? undefined : { ...event, text: restored };
  }

  function* onEvent(event: StreamEvent): Generator<StreamEvent> {
    switch (event.type) {
      case 'text_delta':
      case 'thinking_delta': {
        const own = event.type === 'text_delta' ? text : thinking;
        yield* flushContent(event.type === 'text_delta' ? 'thinking_delta' : 'text_delta', event.type === 'text_delta' ? thinking : text);
        for (const index of [...tools.keys()]) yield* flushTool(index);
        const restored = restoreDelta(event, own);
        if (restored !== undefined) yield restored;
        return;
      }
      case 'tool_call_start':
        yield* flushContent('text_delta', text);
        yield* flushContent('thinking_delta', thinking);
        yield event;
        return;
      case 'tool_call_delta': {
        yield* flushContent('text_delta', text);
        yield* flushContent('thinking_delta', thinking);
        let restorer = tools.get(event.index);
        if (restorer === undefined) {
          restorer = createTextRestorer(table, 'json-string');
          tools.set(event.index, restorer);
        }
        const restored = restorer.push(event.arguments);
        if (restored === event.arguments) yield event;
        else if (restored !== '') yield { ...event, arguments: restored };
        return;
      }
      case 'tool_call_end':
        yield* flushContent('text_delta', text);
        yield* flushContent('thinking_delta', thinking);
        yield* flushTool(event.index);
        yield event;
        return;
      case 'usage':
      case 'message_start':
        yield event;
        return;
      case 'thinking_signature':
      case 'redacted_thinking':
      case 'finish':
        yield* flushAll();
        yield event;
        return;
    }
  }

  try {
    for await (const event of events) yield* onEvent(event);
  } catch (error) {
    // What the model said before the failure reaches the caller, as it would without restoring.
    yield* flushAll();
    throw error;
  }
  yield* flushAll();
}
