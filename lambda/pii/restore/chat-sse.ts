import type { SseEvent } from '../../sse/decoder';
import { encodeSseEvent } from '../../sse/encoder';
import { isRecord, OPENAI_JSON_TEXT_KEYS, parseRecord, restoreJsonValue, type JsonRecord } from './json-values';
import type { PlaceholderTable } from './placeholder-table';
import { createChannels, type HeldText, type SseRewrite } from './sse-rewrite';
import type { RestoreMode } from './text-restorer';

/**
 * Where a channel's text goes in a choice: a text field, a tool call's arguments (by index, or
 * positional when the provider sends none), or the arguments of the legacy `function_call` (one per choice).
 */
type Slot =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'tool'; readonly index: number | undefined }
  | { readonly kind: 'function' };

interface ChannelMeta {
  readonly choice: number;
  readonly slot: Slot;
}

/** One piece of text in a choice: its channel, and where it sits (`call`: position in `delta.tool_calls`). */
interface Piece {
  readonly key: string;
  readonly mode: RestoreMode;
  readonly slot: Slot;
  readonly text: string;
  readonly call?: number;
}

/** Delta text fields of a Chat choice, in the order a model produces them. */
const CHAT_FIELDS = ['reasoning_content', 'reasoning', 'content', 'refusal'] as const;
const ENVELOPE_KEYS = ['id', 'object', 'created', 'model'] as const;

type Mutable = Record<string, unknown>;

const LEGACY_FUNCTION_SLOT: Slot = { kind: 'function' };

/** The legacy `function_call` of a delta with `arguments` set: the same call's other fields (`name`) kept. */
function withFunctionArguments(delta: Mutable, text: string, append: boolean): void {
  const present = isRecord(delta.function_call) ? delta.function_call : {};
  const before = append && typeof present.arguments === 'string' ? present.arguments : '';
  delta.function_call = { ...present, arguments: `${before}${text}` };
}

/** Appends held text to a choice (a copy): to its field, to its `function_call`, or as one more `tool_calls` entry. */
function addHeld(choice: Mutable, slot: Slot, text: string, legacy: boolean): void {
  if (legacy) {
    choice.text = `${typeof choice.text === 'string' ? choice.text : ''}${text}`;
    return;
  }
  const delta: Mutable = isRecord(choice.delta) ? { ...choice.delta } : {};
  choice.delta = delta;
  if (slot.kind === 'field') {
    const present = delta[slot.name];
    delta[slot.name] = `${typeof present === 'string' ? present : ''}${text}`;
    return;
  }
  if (slot.kind === 'function') {
    withFunctionArguments(delta, text, true);
    return;
  }
  const call = { ...(slot.index === undefined ? {} : { index: slot.index }), function: { arguments: text } };
  delta.tool_calls = [...(Array.isArray(delta.tool_calls) ? (delta.tool_calls as unknown[]) : []), call];
}

/** A copy of the choice with each piece's restored text in place. */
function rebuild(choice: JsonRecord, pieces: readonly Piece[], restored: readonly string[], legacy: boolean): Mutable {
  const copy: Mutable = { ...choice };
  if (legacy) {
    if (pieces.length > 0) copy.text = restored[0];
    return copy;
  }
  if (!isRecord(choice.delta)) return copy;
  const delta: Mutable = { ...choice.delta };
  copy.delta = delta;
  const calls = Array.isArray(delta.tool_calls) ? [...(delta.tool_calls as unknown[])] : [];
  pieces.forEach((piece, n) => {
    const text = restored[n] ?? piece.text; // `restored` is index for index with `pieces`
    if (piece.slot.kind === 'field') {
      delta[piece.slot.name] = text;
      return;
    }
    if (piece.slot.kind === 'function') {
      withFunctionArguments(delta, text, false);
      return;
    }
    const call = piece.call === undefined ? undefined : calls[piece.call];
    if (piece.call === undefined || !isRecord(call) || !isRecord(call.function)) return;
    calls[piece.call] = { ...call, function: { ...call.function, arguments: text } };
  });
  if (calls.length > 0) delta.tool_calls = calls;
  return copy;
}

/**
 * Chat (`delta.content`, reasoning, refusal, `delta.tool_calls[].function.arguments`, the legacy
 * `delta.function_call.arguments` of a caller that sent `functions`) and legacy completions
 * (`choices[].text`) streams, one channel per choice and field or tool call.
 *
 * `delta.annotations` (a search model's url citations) are restored whole, since each arrives complete in
 * one chunk; they flush no held text: they annotate the content, they are not part of it.
 *
 * Held text goes out in the chunk that carries its choice's `finish_reason`; before a chunk that moves
 * the choice to another channel (reasoning → content, one tool call → the next: a stream helper
 * closes the previous call when the next one starts) as a synthesised chunk; and before `[DONE]` or at
 * the stream's end. Synthesised chunks copy `id`, `object`, `created`, `model` of the last chunk.
 */
export function createChatRewrite(table: PlaceholderTable, legacy: boolean): SseRewrite {
  const channels = createChannels<ChannelMeta>(table);
  let envelope: JsonRecord = {};
  /** Per choice: how many index-less tool calls have started; each `id` starts the next. */
  const positionalCalls = new Map<number, number>();

  function synthesise(held: readonly HeldText<ChannelMeta>[]): string {
    const byChoice = new Map<number, Mutable>();
    for (const { meta, text } of held) {
      let choice = byChoice.get(meta.choice);
      if (choice === undefined) {
        choice = legacy
          ? { index: meta.choice, text: '', logprobs: null, finish_reason: null }
          : { index: meta.choice, delta: {}, finish_reason: null };
        byChoice.set(meta.choice, choice);
      }
      addHeld(choice, meta.slot, text, legacy);
    }
    let out = '';
    for (const choice of byChoice.values()) out += encodeSseEvent({ data: JSON.stringify({ ...envelope, choices: [choice] }) });
    return out;
  }

  /** The choice's pieces of text; `starting` gets the keys of the tool calls this chunk starts. */
  function piecesOf(index: number, choice: JsonRecord, starting: Set<string>): Piece[] {
    if (legacy) return typeof choice.text === 'string' ? [{ key: `${index}/text`, mode: 'plain', slot: { kind: 'field', name: 'text' }, text: choice.text }] : [];
    const delta = choice.delta;
    if (!isRecord(delta)) return [];
    const pieces: Piece[] = [];
    for (const name of CHAT_FIELDS) {
      const text = delta[name];
      if (typeof text === 'string') pieces.push({ key: `${index}/${name}`, mode: 'plain', slot: { kind: 'field', name }, text });
    }
    const legacyCall = delta.function_call;
    if (isRecord(legacyCall)) {
      const key = `${index}/function_call`;
      // Its `name` comes with the call's first chunk: the choice moves on to the call before any arguments do.
      if (typeof legacyCall.name === 'string') starting.add(key);
      if (typeof legacyCall.arguments === 'string') pieces.push({ key, mode: 'json-string', slot: LEGACY_FUNCTION_SLOT, text: legacyCall.arguments });
    }
    if (!Array.isArray(delta.tool_calls)) return pieces;
    (delta.tool_calls as unknown[]).forEach((call: unknown, position) => {
      if (!isRecord(call)) return;
      let key = `${index}/t${String(call.index)}`;
      if (typeof call.index !== 'number') {
        const count = (positionalCalls.get(index) ?? 0) + (typeof call.id === 'string' ? 1 : 0);
        positionalCalls.set(index, count);
        key = `${index}/p${count}`;
      }
      // A call starting (its `id`) moves the choice on even before its arguments do.
      if (typeof call.id === 'string') starting.add(key);
      const fn = call.function;
      if (!isRecord(fn) || typeof fn.arguments !== 'string') return;
      const slot: Slot = { kind: 'tool', index: typeof call.index === 'number' ? call.index : undefined };
      pieces.push({ key, mode: 'json-string', slot, text: fn.arguments, call: position });
    });
    return pieces;
  }

  /** The choice restored (the same object when nothing changed), and the chunk(s) to write before it. */
  function restoreChoice(index: number, choice: JsonRecord): { before: string; choice: JsonRecord } {
    const moving = new Set<string>();
    const pieces = piecesOf(index, choice, moving);
    for (const piece of pieces) if (piece.text !== '') moving.add(piece.key);
    const overtaken = moving.size === 0 ? [] : channels.closeWhere((meta, key) => meta.choice === index && !moving.has(key));
    const before = overtaken.length === 0 ? '' : synthesise(overtaken);
    const finishing = choice.finish_reason !== null && choice.finish_reason !== undefined;
    const restored = pieces.map((piece) => {
      const text = channels.push(piece.key, piece.mode, { choice: index, slot: piece.slot }, piece.text);
      return finishing ? text + channels.close(piece.key) : text;
    });
    const rest = finishing ? channels.closeWhere((meta) => meta.choice === index) : [];
    const annotations = legacy || !isRecord(choice.delta) ? undefined : choice.delta.annotations;
    const restoredAnnotations = restoreJsonValue(annotations, table, OPENAI_JSON_TEXT_KEYS);
    const textsUnchanged = pieces.every((piece, n) => restored[n] === piece.text);
    if (rest.length === 0 && restoredAnnotations === annotations && textsUnchanged) return { before, choice };
    const copy = rebuild(choice, pieces, restored, legacy);
    if (restoredAnnotations !== annotations && isRecord(copy.delta)) copy.delta = { ...copy.delta, annotations: restoredAnnotations };
    for (const held of rest) addHeld(copy, held.meta.slot, held.text, legacy);
    return { before, choice: copy };
  }

  function restoreChunk(event: SseEvent, chunk: JsonRecord): string {
    if (!Array.isArray(chunk.choices)) return encodeSseEvent(event);
    envelope = Object.fromEntries(ENVELOPE_KEYS.filter((key) => key in chunk).map((key) => [key, chunk[key]]));
    let before = '';
    let changed = false;
    const choices = (chunk.choices as unknown[]).map((choice: unknown, position) => {
      if (!isRecord(choice)) return choice;
      const result = restoreChoice(typeof choice.index === 'number' ? choice.index : position, choice);
      before += result.before;
      changed ||= result.choice !== choice;
      return result.choice;
    });
    return before + encodeSseEvent(changed ? { ...event, data: JSON.stringify({ ...chunk, choices }) } : event);
  }

  return {
    event(event) {
      if (event.data === '[DONE]') return synthesise(channels.closeWhere(() => true)) + encodeSseEvent(event);
      if (!channels.anyHolding() && !table.mayContainPlaceholder(event.data)) return encodeSseEvent(event);
      const chunk = parseRecord(event.data);
      return chunk === undefined ? encodeSseEvent(event) : restoreChunk(event, chunk);
    },
    end: () => synthesise(channels.closeWhere(() => true)),
  };
}
